/* Cron overlap: a non-blocking flock on DB.lock beside the database's real path. */
#ifndef ETLHIST_LOCK_H
#define ETLHIST_LOCK_H

/* Locks REALPATH.lock, REALPATH the database's resolved path: every path to one file (a
 * symlink, "dir/../x") meets one lock. Returns a descriptor holding the lock, -1 when the
 * file cannot be opened or locked for another reason (logged), or -2 when another process
 * holds it (logged). */
int lock_acquire(const char *db_path);
void lock_release(int fd);

#endif
