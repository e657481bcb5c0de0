/*
 * scenario.h - scenario model of the fake BMC Helix CO server.
 *
 * Parsing and the state-at-time function live here, free of any I/O,
 * so that unit tests can link scenario.c alone and check the exact
 * status an ETL reports at a given (server) time.
 * The file format is documented in tests/fakeco/README.md.
 */
#ifndef FAKECO_SCENARIO_H
#define FAKECO_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every time, period, offset and skew in a scenario must lie within
 * +/- SCENARIO_TIME_MAX so that schedule arithmetic can never overflow. */
#define SCENARIO_TIME_MAX INT64_C(1000000000000)

/* How a status that has no value is rendered (`never=`). */
enum fake_never {
    FAKE_NEVER_MISSING, /* "status" key omitted */
    FAKE_NEVER_NULL,    /* "status":null */
    FAKE_NEVER_EMPTY    /* "status":"" */
};

enum fake_fault_kind {
    FAKE_FAULT_NONE,
    FAKE_FAULT_HTTP, /* plain error code, see http_code */
    FAKE_FAULT_EMPTY204,
    FAKE_FAULT_MALFORMED,
    FAKE_FAULT_TRUNCATED,
    FAKE_FAULT_WRONGTYPES,
    FAKE_FAULT_HUGE,
    FAKE_FAULT_BADUTF8,
    FAKE_FAULT_NESTED,
    FAKE_FAULT_UNKNOWNSTATUS,
    FAKE_FAULT_SLOW,
    FAKE_FAULT_HANG,
    FAKE_FAULT_DRIP,
    FAKE_FAULT_CLOSE
};

struct fake_fault {
    enum fake_fault_kind kind;
    int http_code; /* FAKE_FAULT_HTTP only */
    int delay_ms;  /* FAKE_FAULT_SLOW only (default 2000) */
    bool has_from; /* window [from, until) in server time */
    bool has_until;
    int64_t from;
    int64_t until;
};

enum fake_etl_kind {
    FAKE_ETL_NEVER,     /* no schedule: never ran */
    FAKE_ETL_SCHEDULED, /* period=... or starts=... runs */
    FAKE_ETL_SERVICE    /* `service` flag */
};

struct fake_etl {
    int64_t id;
    int64_t task_id; /* task=, default id + 1000 */
    char *name;
    int line; /* scenario line, for diagnostics */
    enum fake_etl_kind kind;
    enum fake_never never;
    bool ended;          /* finished runs report ENDED instead of WAITING */
    bool has_ended_from; /* from server time ended_from on, they report ENDED */
    int64_t ended_from;
    bool has_period; /* a service without period is always on */
    int64_t period;
    int64_t offset;
    int64_t on;      /* service: seconds ON at the start of each period */
    int64_t jitter;  /* 0 <= jitter < period */
    int64_t *starts; /* starts=: run k starts at starts[k], strictly ascending */
    size_t n_starts; /* 0: runs follow period, offset and jitter */
    int64_t *durations;
    size_t n_durations;
    char **outcomes;
    size_t n_outcomes;
    bool has_deleted;
    int64_t deleted;
    struct fake_fault fault;
};

struct fake_scenario {
    char *token; /* static bearer token, NULL if none */
    bool has_keys;
    char *tenant_id;
    char *access_key;
    char *access_secret_key;
    int64_t skew; /* server time = collector now + skew */
    struct fake_fault list_fault;
    struct fake_etl *etls; /* scenario (file) order */
    size_t n_etls;
    const struct fake_etl **by_id; /* sorted by id, for bsearch */
};

enum fake_status_kind {
    FAKE_STATUS_MISSING,
    FAKE_STATUS_NULL,
    FAKE_STATUS_EMPTY,
    FAKE_STATUS_VALUE
};

/* What the status endpoint reports for one ETL at one instant. */
struct fake_state {
    enum fake_status_kind status_kind;
    const char *status;    /* FAKE_STATUS_VALUE only; static or scenario-owned */
    const char *exit_code; /* NULL: key omitted */
    bool has_last_exec;
    int64_t last_exec_ts; /* server-clock Unix seconds */
    int64_t task_id;
    int64_t run; /* index k of the latest run, -1 if none */
};

/*
 * Parses scenario text (len bytes, need not be NUL-terminated).  `name`
 * is only used in messages.  Returns NULL on error with "NAME:LINE: cause"
 * (no trailing newline) in err.
 */
struct fake_scenario *scenario_parse(const char *text, size_t len, const char *name, char *err,
                                     size_t errlen);

void scenario_free(struct fake_scenario *sc);

/* ETL by id (deleted or not), NULL if the scenario has none. */
const struct fake_etl *scenario_find(const struct fake_scenario *sc, int64_t id);

/*
 * State of `e` at server time `now`.  Returns 0, or -1 when the ETL is
 * deleted at that time (the server then answers 400 / omits it).
 */
int scenario_state(const struct fake_etl *e, int64_t now, struct fake_state *out);

/* True when `f` is set and `now` (server time) is inside its window. */
bool scenario_fault_active(const struct fake_fault *f, int64_t now);

/* The deterministic jitter of run k, in [0, e->jitter]. */
int64_t scenario_jitter(const struct fake_etl *e, int64_t k);

/* A start that never comes: run k of a `starts=` ETL beyond the list. */
#define SCENARIO_NEVER INT64_MAX

/* Start of run k >= 0 of a scheduled ETL, jitter included; SCENARIO_NEVER
 * when a `starts=` list has no run k. */
int64_t scenario_run_start(const struct fake_etl *e, int64_t k);

/* Strict decimal int64: optional '-', digits only, no overflow. */
bool scenario_parse_i64(const char *s, int64_t *out);

#endif
