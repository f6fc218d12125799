# Sourced by ./llmlab, ./build and .ci/run: finds a JDK >= 21 and exports JAVA_HOME, JAVA and
# JAVA_MAJOR. Order: $JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
# The version comes from the JDK's `release` file when it has one: starting a JVM just to ask its
# version would cost the launcher about 100 ms per candidate. Bash built-ins only on the common
# path, because every process the launcher forks is paid again by each start of llmlab.
llmlab_java_major() {
  local home=${1%/bin/java} line version=""
  if [ -f "$home/release" ]; then
    while IFS= read -r line; do
      if [[ $line == JAVA_VERSION=* ]]; then version=${line#JAVA_VERSION=}; version=${version//\"/}; break; fi
    done < "$home/release"
  fi
  if [ -z "$version" ]; then
    version=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  fi
  version=${version#1.}   # 1.8 -> 8
  echo "${version%%[.+-]*}"
}

llmlab_try_jdk() { # path to a java binary; succeeds and exports when it is JDK 21 or newer
  local major
  [ -x "$1" ] || return 1
  major=$(llmlab_java_major "$1")
  [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null || return 1
  JAVA="$1"; JAVA_HOME=${1%/bin/java}; JAVA_MAJOR=$major
  export JAVA JAVA_HOME JAVA_MAJOR
}

llmlab_find_jdk() {
  local c
  if [ -n "${JAVA_HOME:-}" ] && llmlab_try_jdk "$JAVA_HOME/bin/java"; then return 0; fi
  if c=$(command -v java 2>/dev/null) && llmlab_try_jdk "$(readlink -f "$c")"; then return 0; fi
  for c in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do
    llmlab_try_jdk "$c" && return 0
  done
  echo "llmlab: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "llmlab: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  return 1
}

# The JVM flags every llmlab process runs with, in the array LLMLAB_JVM_FLAGS (call after
# llmlab_find_jdk). Netty stops using sun.misc.Unsafe by default from Java 25 on, to avoid JEP
# 498's warning, and falls back to slower buffer access and a cleaner built from method handles
# at start-up. Allowing the access explicitly (the option exists from JDK 23) keeps the fast paths
# Netty has on JDK 21: docs/performance.md has the side-by-side figures.
llmlab_jvm_flags() {
  LLMLAB_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED)
  if [ "$JAVA_MAJOR" -ge 23 ]; then LLMLAB_JVM_FLAGS+=(--sun-misc-unsafe-memory-access=allow); fi
}

# Adds to LLMLAB_JVM_FLAGS the options of one command. `top` runs for hours beside what it watches, and its readings
# live a minute (old objects): a heap that starts at 16 MB and keeps little slack, a collection every 5 s that gives
# unused heap back, and the C heap trimmed every 5 s. With the defaults its heap only grew (docs/performance.md).
# G1's marking stack is committed whole at start (32 MB by default, for heaps of gigabytes); top's heap is tens of
# MB, and the stack grows if a marking ever needs more. GCTimeRatio=2 lets G1 spend up to a third of top's (small)
# time collecting before it grows the heap: over 10 minutes, 173/119 MB instead of 199/195, for 1 point of a core.
llmlab_command_flags() {
  if [ "$1" = top ]; then
    LLMLAB_JVM_FLAGS+=(-XX:+UseG1GC -Xms16m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=5000
      -XX:MarkStackSize=65536 -XX:GCTimeRatio=2)
    if [ "$JAVA_MAJOR" -ge 22 ]; then LLMLAB_JVM_FLAGS+=(-XX:TrimNativeHeapInterval=5000); fi
  fi
  return 0
}
