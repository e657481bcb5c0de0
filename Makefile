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
# Every object lists the headers it includes in a .d file beside it (read at the end), so a
# touched header rebuilds what includes it and nothing else.
DEPFLAGS = -MMD -MP
VERSION = 0.1.0

# MAIL=0 builds etlhist-report without -f mail, and so without GMime, cairo and librsvg.
MAIL ?= 1

SQL = $(wildcard sql/*.sql)
COMMON = common/log.c common/timeutil.c common/etlset.c common/db.c common/config.c common/schedule.c \
	common/utf8.c common/rules.c common/dbcheck.c common/silence.c common/zone.c \
	$(B)/sqlfiles.c
# collector/ by layer (docs/design.md, Layout), each a static library over the ones below it:
# http/ (talking to CO), store/ (the database), pass/ (one pass per instance), follow/ (after
# the passes), with the command line (app.c, main.c) at the top.
COLLECT_LAYERS = http store pass follow
COLLECT_INC = $(addprefix -Icollector/,$(COLLECT_LAYERS))
# The mail backend: the message (GMime), its HTML and the charts as PNG (librsvg, cairo).
MAIL_SRC = report/mail/fmt_mail.c report/mail/mail_mime.c report/mail/mail_html.c report/mail/mail_png.c
# report/ by layer (report/README.md): engine/, reports/, writers/ (html/ the HTML writer and
# its charts) and mail/, with the command line at the top.
REPORT_DIRS = report report/engine report/reports report/writers report/writers/html report/check report/mail
REPORT_INC = $(addprefix -I,$(REPORT_DIRS))
REPORT = $(filter-out report/main.c report/mail/mail_none.c $(MAIL_SRC),$(wildcard $(addsuffix /*.c,$(REPORT_DIRS))))
ifeq ($(MAIL),1)
MAIL_USED = $(MAIL_SRC)
else
MAIL_USED = report/mail/mail_none.c
MAIL_LIBS =
endif

COMMON_O = $(patsubst %.c,$(B)/%.o,$(notdir $(COMMON)))
collect_o = $(patsubst collector/%.c,$(B)/collector/%.o,$(wildcard collector/$(1)/*.c))
REPORT_O = $(patsubst report/%.c,$(B)/report/%.o,$(REPORT))
MAIL_O = $(patsubst report/%.c,$(B)/report/%.o,$(MAIL_USED))

# One static library per layer; a program or test links the layers it uses.
LIB_COMMON = $(B)/libcommon.a
LIB_HTTP = $(B)/libcollect_http.a
LIB_STORE = $(B)/libcollect_store.a
LIB_PASS = $(B)/libcollect_pass.a
LIB_FOLLOW = $(B)/libcollect_follow.a
# The collector's layers, highest first (a static library is searched in order).
LIB_COLLECT = $(LIB_FOLLOW) $(LIB_PASS) $(LIB_STORE) $(LIB_HTTP)
# report/ has one library per layer (tools/layers.sh checks their order): engine, reports,
# writers (with html/), check, and libreport.a for the command line at the top.
REPORT_LAYERS = engine reports writers check
LIB_REPORT = $(B)/libreport.a $(patsubst %,$(B)/libreport_%.a,$(REPORT_LAYERS))
LIB_MAIL = $(B)/libmail.a
# The writers' table names the mail and check writers, which drive or feed on the others.
REPORT_LIBS = -Wl,--start-group $(LIB_REPORT) $(LIB_MAIL) -Wl,--end-group $(LIB_COMMON)

UNIT_ALL = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
# Unit tests that need the mail backend; a MAIL=0 build skips them (and says so).
UNIT_MAIL = test_mail
ifeq ($(MAIL),1)
UNIT_TESTS = $(patsubst %,$(B)/tests/%,$(UNIT_ALL))
else
UNIT_TESTS = $(patsubst %,$(B)/tests/%,$(filter-out $(UNIT_MAIL),$(UNIT_ALL)))
endif

PROGS = $(B)/etlhist-collect $(B)/etlhist-report $(B)/fakeco

.PHONY: format format-check accuracy accuracy-follow accuracy-realistic fuzz all deps deps-build check check-run unit integration demo demo-run install uninstall clean bench
all: $(PROGS)

deps:
	@MAIL=$(MAIL) sh tools/deps.sh check

deps-build:
	@MAIL=$(MAIL) sh tools/deps.sh build

$(B)/sqlfiles.c $(B)/sqlfiles.h &: $(SQL) tools/embed-sql.sh
	@mkdir -p $(B)
	sh tools/embed-sql.sh $(B)/sqlfiles.c $(B)/sqlfiles.h $(SQL)

# What this build holds, for the tests (mail=0|1); rewritten only when it changes, so that
# switching MAIL rebuilds what depends on it.
$(B)/features: FORCE
	@mkdir -p $(B)
	@echo "mail=$(MAIL)" | cmp -s - $@ || echo "mail=$(MAIL)" >$@
FORCE:

# The generated sqlfiles.h must exist before the first compile; afterwards the .d files say
# which objects include it.
$(B)/%.o: common/%.c | $(B)/sqlfiles.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(B)/sqlfiles.o: $(B)/sqlfiles.c
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(B)/collector/%.o: collector/%.c | $(B)/sqlfiles.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(COLLECT_INC) -DETLHIST_VERSION='"$(VERSION)"' -c -o $@ $<
$(B)/report/%.o: report/%.c | $(B)/sqlfiles.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(OBJ_CFLAGS) $(REPORT_INC) -DETLHIST_VERSION='"$(VERSION)"' -c -o $@ $<
$(filter-out $(B)/report/mail/mail_none.o,$(MAIL_O)): OBJ_CFLAGS = $(MAIL_CFLAGS)
# The table of writers has -f mail only when it is built in.
$(B)/report/formats.o: OBJ_CFLAGS = -DETLHIST_MAIL=$(MAIL)
$(B)/report/formats.o: $(B)/features

$(LIB_COMMON): $(COMMON_O)
$(LIB_HTTP): $(call collect_o,http)
$(LIB_STORE): $(call collect_o,store)
$(LIB_PASS): $(call collect_o,pass)
$(LIB_FOLLOW): $(call collect_o,follow)
$(B)/libreport.a: $(patsubst report/%.c,$(B)/report/%.o,$(filter-out report/main.c,$(wildcard report/*.c)))
$(foreach l,$(REPORT_LAYERS),$(eval $(B)/libreport_$(l).a: $(filter $(B)/report/$(l)/%,$(REPORT_O))))
$(LIB_MAIL): $(MAIL_O)
$(LIB_COMMON) $(LIB_COLLECT) $(LIB_REPORT) $(LIB_MAIL):
	@rm -f $@
	$(AR) rcs $@ $(filter %.o,$^)
# A MAIL switch changes libmail.a's members: rebuild it then.
$(LIB_MAIL): $(B)/features

$(B)/etlhist-collect: $(B)/collector/main.o $(B)/collector/app.o $(LIB_COLLECT) $(LIB_COMMON)
	$(CC) $(LDFLAGS) -o $@ $(B)/collector/main.o $(B)/collector/app.o $(LIB_COLLECT) $(LIB_COMMON) \
		$(PKG_LIBS)
$(B)/etlhist-report: $(B)/report/main.o $(LIB_REPORT) $(LIB_MAIL) $(LIB_COMMON)
	$(CC) $(LDFLAGS) -o $@ $< $(REPORT_LIBS) $(PKG_LIBS) $(MAIL_LIBS)

FAKECO_SRC = $(wildcard tests/fakeco/*.c)
$(B)/fakeco: $(FAKECO_SRC) $(wildcard tests/fakeco/*.h)
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(MHD_CFLAGS) -o $@ $(FAKECO_SRC) $(LDFLAGS) $(MHD_LIBS)

# Unit tests: tests/unit/test_X.c tests module X and links only the layers X belongs to.
# The report's tests share a database fixture (tests/unit/report_fixture.c); those of the
# HTTP modules start the fake CO server (tests/unit/fakeco_proc.h) and read its scenarios.
UNIT_COMMON = test_common test_config test_db test_schedule test_utf8
# Tests that one rule gives the same answer in the collector and in the reports.
UNIT_BOTH = test_rules test_next_start
# The collector's tests by layer (the fake CO server's scenarios alone in test_scenario).
UNIT_HTTP = test_api test_auth test_poll
UNIT_STORE = test_runs test_store
UNIT_PASS = test_collect
UNIT_FOLLOW = test_follow
UNIT_FAKECO = test_scenario
UNIT_COLLECT = $(UNIT_HTTP) $(UNIT_STORE) $(UNIT_PASS) $(UNIT_FOLLOW) $(UNIT_FAKECO)
FAKECO_LIB_SRC = $(filter-out tests/fakeco/fakeco.c,$(FAKECO_SRC))
UNIT_FIXTURE = tests/unit/report_fixture.c
UNIT_FLAGS = $(ALL_CFLAGS) -MMD -MP -MF $@.d -DETLHIST_SRCDIR='"$(CURDIR)"' \
	-DETLHIST_FAKECO='"$(abspath $(B))/fakeco"' $(COLLECT_INC) $(REPORT_INC) -Itests/fakeco
$(patsubst %,$(B)/tests/%,$(UNIT_COMMON)): $(B)/tests/%: tests/unit/%.c $(LIB_COMMON) | $(B)/fakeco
	@mkdir -p $(@D)
	$(CC) $(UNIT_FLAGS) -o $@ $< $(LIB_COMMON) $(LDFLAGS) $(PKG_LIBS) $(CHECK_LIBS)
# A collector test links its layer and those below it (collect_test TESTS, LIBRARIES).
define collect_test
$(patsubst %,$(B)/tests/%,$(1)): $(B)/tests/%: tests/unit/%.c $(FAKECO_LIB_SRC) $(2) $(LIB_COMMON) | $(B)/fakeco
	@mkdir -p $$(@D)
	$$(CC) $$(UNIT_FLAGS) -o $$@ $$< $(FAKECO_LIB_SRC) $(2) $(LIB_COMMON) $$(LDFLAGS) $$(PKG_LIBS) $$(CHECK_LIBS)
endef
$(eval $(call collect_test,$(UNIT_HTTP),$(LIB_HTTP)))
$(eval $(call collect_test,$(UNIT_STORE),$(LIB_STORE) $(LIB_HTTP)))
$(eval $(call collect_test,$(UNIT_PASS),$(LIB_PASS) $(LIB_STORE) $(LIB_HTTP)))
$(eval $(call collect_test,$(UNIT_FOLLOW),$(LIB_COLLECT)))
$(eval $(call collect_test,$(UNIT_FAKECO),))
$(patsubst %,$(B)/tests/%,$(UNIT_BOTH)): $(B)/tests/%: tests/unit/%.c $(LIB_COLLECT) $(LIB_REPORT) $(LIB_MAIL) $(LIB_COMMON) | $(B)/fakeco
	@mkdir -p $(@D)
	$(CC) $(UNIT_FLAGS) -o $@ $< $(LIB_COLLECT) $(REPORT_LIBS) $(LDFLAGS) $(PKG_LIBS) $(MAIL_LIBS) $(CHECK_LIBS)
$(B)/tests/test_mail: OBJ_CFLAGS = $(MAIL_CFLAGS)
$(patsubst %,$(B)/tests/%,$(filter-out $(UNIT_COMMON) $(UNIT_COLLECT) $(UNIT_BOTH),$(UNIT_ALL))): $(B)/tests/%: tests/unit/%.c $(UNIT_FIXTURE) $(LIB_REPORT) $(LIB_MAIL) $(LIB_COMMON) | $(B)/fakeco
	@mkdir -p $(@D)
	$(CC) $(UNIT_FLAGS) $(OBJ_CFLAGS) -o $@ $< $(UNIT_FIXTURE) $(REPORT_LIBS) $(LDFLAGS) $(PKG_LIBS) $(MAIL_LIBS) $(CHECK_LIBS)

# make check runs the unit tests and the integration scripts side by side (-j2 unless make
# was given its own -j), the scripts two at a time (CHECK_JOBS); every test keeps its own log
# under build/tests/.
CHECK_JOBS ?= 2
check: deps
	@$(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j2) check-run

check-run: unit integration

unit: $(UNIT_TESTS) $(B)/features
	@$(if $(filter 0,$(MAIL)),echo "skip - $(UNIT_MAIL) (needs -f mail; this build has MAIL=0)";) \
		sh tests/run-unit.sh $(B) $(UNIT_TESTS)

integration: $(PROGS) $(B)/features $(B)/accuracy/gen $(B)/accuracy/check $(B)/accuracy/clockprobe
	@CHECK_JOBS=$(CHECK_JOBS) sh tests/integration/run.sh $(B)

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
		$(LIB_COLLECT) $(LIB_COMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(COLLECT_INC) -Itests/fakeco -o $@ tests/bench/genhist.c \
		tests/fakeco/scenario.c $(LIB_COLLECT) $(LIB_COMMON) $(LDFLAGS) $(PKG_LIBS)

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

-include $(patsubst %.o,%.d,$(COMMON_O) $(foreach l,$(COLLECT_LAYERS),$(call collect_o,$(l))) \
	$(REPORT_O) $(MAIL_O) $(B)/collector/main.o $(B)/collector/app.o $(B)/report/main.o) $(patsubst %,%.d,$(UNIT_TESTS))
