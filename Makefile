# etlhist — build, test, demo and install.
# `make demo` and `make check` install missing Debian packages first (make deps).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/etlhist
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

PKGS = libcurl json-c sqlite3 inih
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
# -f mail only (etlhist-report): MIME with GMime, the charts rasterised by librsvg on cairo
# (fontconfig: whether their labels have a font; its -dev package comes with librsvg2-dev).
MAIL_PKGS = gmime-3.0 librsvg-2.0 cairo fontconfig
MAIL_CFLAGS := $(shell pkg-config --cflags $(MAIL_PKGS) 2>/dev/null)
MAIL_LIBS := $(shell pkg-config --libs $(MAIL_PKGS) 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
MHD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS := $(shell pkg-config --libs libmicrohttpd json-c 2>/dev/null) -lpthread -lm

B = build
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Icommon -I$(B)
VERSION = 0.1.0

SQL = $(wildcard sql/*.sql)
COMMON = common/log.c common/timeutil.c common/etlset.c common/db.c common/config.c common/schedule.c \
	common/utf8.c common/rules.c common/dbcheck.c common/silence.c \
	$(B)/sqlfiles.c
COLLECT = $(filter-out collector/main.c,$(wildcard collector/*.c))
# report/html/ holds the HTML writer and what draws for it (charts, the mail's HTML and PNG).
REPORT = $(filter-out report/main.c,$(wildcard report/*.c report/html/*.c))
REPORT_H = $(wildcard report/*.h report/html/*.h)

COMMON_O = $(patsubst %.c,$(B)/%.o,$(notdir $(COMMON)))
COLLECT_O = $(patsubst collector/%.c,$(B)/collector/%.o,$(COLLECT))
REPORT_O = $(patsubst report/%.c,$(B)/report/%.o,$(REPORT))

UNIT_TESTS = $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

PROGS = $(B)/etlhist-collect $(B)/etlhist-report $(B)/fakeco

.PHONY: format format-check accuracy accuracy-follow accuracy-realistic fuzz all deps deps-build check check-run unit integration demo demo-run install uninstall clean bench
all: $(PROGS)

deps:
	@sh tools/deps.sh check

deps-build:
	@sh tools/deps.sh build

$(B)/sqlfiles.c $(B)/sqlfiles.h &: $(SQL) tools/embed-sql.sh
	@mkdir -p $(B)
	sh tools/embed-sql.sh $(B)/sqlfiles.c $(B)/sqlfiles.h $(SQL)

$(B)/%.o: common/%.c $(B)/sqlfiles.h $(wildcard common/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/sqlfiles.o: $(B)/sqlfiles.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/collector/%.o: collector/%.c $(wildcard collector/*.h common/*.h) $(B)/sqlfiles.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DETLHIST_VERSION='"$(VERSION)"' -c -o $@ $<
$(B)/report/%.o: report/%.c $(REPORT_H) $(wildcard common/*.h) $(B)/sqlfiles.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MAIL_CFLAGS) -Ireport -Ireport/html -DETLHIST_VERSION='"$(VERSION)"' -c -o $@ $<

$(B)/etlhist-collect: $(B)/collector/main.o $(COLLECT_O) $(COMMON_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/etlhist-report: $(B)/report/main.o $(REPORT_O) $(COMMON_O)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(MAIL_LIBS)

FAKECO_SRC = $(wildcard tests/fakeco/*.c)
$(B)/fakeco: $(FAKECO_SRC) $(wildcard tests/fakeco/*.h)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(MHD_CFLAGS) -o $@ $(FAKECO_SRC) $(LDFLAGS) $(MHD_LIBS)

# Unit tests link every module but main(): tests/unit/test_X.c tests module X. The report's
# tests share a database fixture (tests/unit/report_fixture.c); those of the HTTP modules start
# the fake CO server (tests/unit/fakeco_proc.h).
UNIT_FIXTURE = tests/unit/report_fixture.c
$(B)/tests/%: tests/unit/%.c $(UNIT_FIXTURE) $(COLLECT_O) $(REPORT_O) $(COMMON_O) $(wildcard tests/unit/*.h) | $(B)/fakeco
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(MAIL_CFLAGS) -DETLHIST_SRCDIR='"$(CURDIR)"' -DETLHIST_FAKECO='"$(abspath $(B))/fakeco"' -Icollector -Ireport -Ireport/html -Itests/fakeco -o $@ $< $(UNIT_FIXTURE) $(COLLECT_O) $(REPORT_O) \
		$(COMMON_O) $(filter-out tests/fakeco/fakeco.c,$(FAKECO_SRC)) $(LDFLAGS) $(PKG_LIBS) $(MAIL_LIBS) $(CHECK_LIBS)

check: deps
	@$(MAKE) --no-print-directory check-run

check-run: unit integration

unit: $(UNIT_TESTS)
	@sh tests/run-unit.sh $(UNIT_TESTS)

integration: $(PROGS) $(B)/accuracy/gen $(B)/accuracy/check $(B)/accuracy/clockprobe
	@sh tests/integration/run.sh $(B)

demo: deps-build
	@$(MAKE) --no-print-directory demo-run

demo-run: $(PROGS)
	@sh tools/demo.sh $(B)

# Accuracy against a simulated installation whose every run is known (tests/accuracy/):
# a small one runs in make check, `make accuracy` runs 500 ETLs over 30 simulated days.
ACC_DEPS = tests/accuracy/acc.h tests/fakeco/scenario.c tests/fakeco/scenario.h
$(B)/accuracy/gen: tests/accuracy/gen.c $(ACC_DEPS)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Itests/fakeco -o $@ tests/accuracy/gen.c \
		tests/fakeco/scenario.c $(LDFLAGS) -lm
$(B)/accuracy/clockprobe: tests/accuracy/clockprobe.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -o $@ tests/accuracy/clockprobe.c $(LDFLAGS)
$(B)/accuracy/check: tests/accuracy/check.c tests/accuracy/acc.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -o $@ tests/accuracy/check.c $(LDFLAGS) -lcsv -lm

accuracy: $(PROGS) $(B)/accuracy/gen $(B)/accuracy/check
	@sh tests/accuracy/pass_time.sh $(B)
	@sh tests/accuracy/run.sh $(B) 500 30

# Follow (adaptive polling) against the same simulation with a moving clock: follow off, then
# on (300/240/15), side by side. About 15 minutes on two cores.
accuracy-follow: $(PROGS) $(B)/accuracy/gen $(B)/accuracy/check $(B)/accuracy/clockprobe
	@sh tests/accuracy/follow.sh $(B)

# A realistic site (UTC and wall-clock schedules across a change of time, Run now runs, late
# starts, overruns, a paused scheduler, a collector outage): 60 ETLs over 21 simulated days,
# precision and recall of missed, late and overdue. About 5 minutes on two cores.
accuracy-realistic: $(PROGS) $(B)/accuracy/gen $(B)/accuracy/check
	@sh tests/accuracy/realistic.sh $(B) 60 21

FUZZ_SECONDS ?= 60
fuzz:
	@sh tools/deps.sh fuzz
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# The C sources against .clang-format (CI runs format-check).
format:
	@sh tools/deps.sh format
	@sh tools/format.sh fix
format-check:
	@sh tools/deps.sh format
	@sh tools/format.sh check

bench: $(PROGS) $(B)/bench/genhist
	@sh tools/deps.sh bench
	@sh tests/bench/run.sh $(B)

# The history generator of make bench stores through the collector's own objects.
$(B)/bench/genhist: tests/bench/genhist.c tests/fakeco/scenario.c tests/fakeco/scenario.h \
		$(COLLECT_O) $(COMMON_O)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icollector -Itests/fakeco -o $@ tests/bench/genhist.c \
		tests/fakeco/scenario.c $(COLLECT_O) $(COMMON_O) $(LDFLAGS) $(PKG_LIBS)

install: $(B)/etlhist-collect $(B)/etlhist-report
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples
	install -m 755 $(B)/etlhist-collect $(B)/etlhist-report $(DESTDIR)$(BINDIR)
	install -m 644 docs/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 docs/etlhist.conf.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 docs/etlhist.conf.example docs/*.md README.md $(DESTDIR)$(DOCDIR)
	install -m 644 docs/examples/* $(DESTDIR)$(DOCDIR)/examples

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/etlhist-collect $(DESTDIR)$(BINDIR)/etlhist-report
	rm -f $(DESTDIR)$(MANDIR)/man1/etlhist-collect.1 $(DESTDIR)$(MANDIR)/man1/etlhist-report.1
	rm -f $(DESTDIR)$(MANDIR)/man5/etlhist.conf.5
	rm -rf $(DESTDIR)$(DOCDIR)

clean:
	rm -rf $(B)
