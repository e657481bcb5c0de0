/* etlhist-collect: polls CO ETL statuses into the history database. */
#include "app.h"

int main(int argc, char **argv)
{
    return collect_main(argc, argv);
}
