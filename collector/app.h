/* etlhist-collect's command line: options → config → lock → database → passes. */
#ifndef ETLHIST_APP_H
#define ETLHIST_APP_H

int collect_main(int argc, char **argv);

#endif
