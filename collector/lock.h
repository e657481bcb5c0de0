/* Cron overlap: a non-blocking flock on DB.lock beside the database. */
#ifndef ETLHIST_LOCK_H
#define ETLHIST_LOCK_H

/* Returns a descriptor holding the lock, -1 when the file cannot be opened or locked for
 * another reason (logged), or -2 when another process holds it (logged). */
int lock_acquire(const char *db_path);
void lock_release(int fd);

#endif
