/* The configuration: config_load on the input as an INI file (through a temporary file,
 * as the collector reads /etc/etlhist.conf), then config_set with fields the input also
 * supplies (as command-line options are applied), config_validate and config_print.
 * Checks: no memory error, leak or undefined behaviour; printed settings are terminated
 * lines. The input's first line after a form feed (\f) is "section\ninstance\nkey\nvalue". */
#include "config.h"
#include "fuzz_util.h"
#include "log.h"

#include <stdint.h>
#include <unistd.h>

static char path[] = "/tmp/etlhist-fuzz-config.XXXXXX";
static int fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_init("fuzz", -1); /* errors are the expected outcome: keep them quiet */
    fd = mkstemp(path);
    if (fd < 0)
        abort();
    unlink(path); /* reached through /proc/self/fd below, gone when the fuzzer stops */
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

/* "section\ninstance\nkey\nvalue" → config_set; instance "-" means [collect]. */
static void apply_override(struct config *cfg, char *spec)
{
    char *field[4] = {NULL, NULL, NULL, NULL}, *save = NULL, err[256];
    field[0] = strtok_r(spec, "\n", &save);
    for (int i = 1; i < 4 && field[i - 1]; i++)
        field[i] = strtok_r(NULL, "\n", &save);
    if (!field[3])
        return;
    memset(err, 'x', sizeof err);
    const char *instance = strcmp(field[1], "-") ? field[1] : NULL;
    if (config_set(cfg, field[0], instance, field[2], field[3], err, sizeof err) != 0)
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    char *ff = strchr(text, '\f');
    size_t ini_len = ff ? (size_t)(ff - text) : size;
    if (ftruncate(fd, 0) || pwrite(fd, data, ini_len, 0) != (ssize_t)ini_len)
        abort();
    struct config cfg;
    config_defaults(&cfg);
    config_load(&cfg, path);
    if (ff)
        apply_override(&cfg, ff + 1);
    config_validate(&cfg, 1);
    char *printed = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&printed, &len);
    FUZZ_CHECK(out != NULL);
    config_print(&cfg, out);
    fclose(out);
    FUZZ_CHECK(strlen(printed) == len && len > 0 && printed[len - 1] == '\n');
    free(printed);
    config_free(&cfg);
    free(text);
    return 0;
}
