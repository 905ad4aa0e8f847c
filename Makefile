# Thin wrapper: the Java command line (java -jar target/llama-sweep.jar --help) does the work.
SPEC ?= experiments/local.yaml
MVN  ?= mvn -q -B
JAR  := target/llama-sweep.jar
RUN  := java -jar $(JAR)
SRC  := pom.xml $(shell find pipelines/src/main -type f 2>/dev/null)

.PHONY: experiments cell reports plan validate setup deps test unit bench faults flink clean help

help:
	@echo "make experiments [SPEC=experiments/x.yaml]   run a sweep (default: $(SPEC)), builds what it needs"
	@echo "make cell SPEC=... CELL=<id>                 re-run one grid cell"
	@echo "make reports [SPEC=...]                      re-render reports from data/ without running anything"
	@echo "make plan [SPEC=...]                         print the grid and each cell's exact command"
	@echo "make test                                    unit tests + integration tests on real llama.cpp"
	@echo "make bench                                   orchestration overhead, re-run, header-read and wall-probe benchmarks"
	@echo "make faults [KILLS=20]                       kill -9 the harness at random moments; no benchmark may outlive it"
	@echo "make flink                                   the aggregation on a real standalone Flink 1.19 cluster (its JVMs started from Maven Central jars)"

$(JAR): $(SRC)
	$(MVN) -DskipTests package
	@touch $(JAR)

# best effort: Vulkan build dependencies (lavapipe, glslc, trixie headers into the cache) and gdb for the
# build self-test's backtraces; a backend that still cannot be built is reported as "skipped: backend unavailable (why)"
deps:
	@bash pipelines/scripts/vulkan-deps.sh

experiments: $(JAR) deps
	$(RUN) run $(SPEC)

cell: $(JAR)
	@test -n "$(CELL)" || { echo "usage: make cell SPEC=experiments/<name>.yaml CELL=<id>   (make plan lists ids)"; exit 2; }
	$(RUN) cell $(SPEC) $(CELL)

reports: $(JAR)
	$(RUN) reports $(SPEC)

plan: $(JAR)
	$(RUN) plan $(SPEC)

validate: $(JAR)
	$(RUN) validate $(SPEC)

setup: $(JAR)
	$(RUN) setup

# integration tests need the pinned llama.cpp and the synthetic models (setup builds them once)
# and power-profiles-daemon for the profile tests (test-deps installs it from Debian)
test: deps setup
	bash pipelines/scripts/test-deps.sh
	mvn -B --no-transfer-progress verify

unit:
	$(MVN) -DskipITs test

bench: setup
	bash pipelines/bench/run.sh

# the fault suite at length: kill -9 of the real jar at random moments of a sweep (make test runs 3)
KILLS ?= 20
faults: setup
	mvn -B --no-transfer-progress -DskipTests=false -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=FaultsIT -Dllamasweep.kills=$(KILLS) verify

# the corpus aggregation on a standalone Flink cluster (JobManager and TaskManager in their own JVMs, Flink's jars only):
# byte-identical to the DirectRunner, only the aggregation's jars staged, one sentence for bad input
flink:
	mvn -B --no-transfer-progress -DskipTests=false -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.excludedGroups=none -Dit.test=FlinkClusterIT verify

clean:
	rm -rf target
