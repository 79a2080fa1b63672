# Sourced by the benchmarks: the baseline every timing is divided by, a bare JVM hello-world started with exactly
# the flags the launcher gives the JVM (without its class-data-sharing archive), measured in the same run.
#
#   baseline_command LAUNCHER WORK   sets the array BASELINE to that command line
#
# The launcher's flags are read by running it once with JAVA_HOME pointing at a stand-in java that writes its
# arguments down: whatever the launcher passes today is what the baseline gets.

baseline_command() {
  local launcher=$1 work=$2 java arg skip=0
  mkdir -p "$work/baseline/jvm/bin" "$work/baseline/classes"
  printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s"\n' "$work/baseline/flags" > "$work/baseline/jvm/bin/java"
  chmod +x "$work/baseline/jvm/bin/java"
  # (--help, not --version: the launcher gives --version alone no archive)
  JAVA_HOME=$work/baseline/jvm "$launcher" --help > /dev/null
  printf 'public class Hello {\n  public static void main(String[] args) {\n    System.out.println("hello");\n  }\n}\n' \
    > "$work/baseline/Hello.java"
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  "${java}c" -d "$work/baseline/classes" "$work/baseline/Hello.java" \
    || { echo "bench: javac is needed for the baseline (a JDK, as for the build)" >&2; return 1; }
  BASELINE=("$java")
  # Everything up to the class path, less the application archive; then the hello-world instead of haproxy-sd.
  while IFS= read -r arg; do
    [ "$arg" = -cp ] && break
    case $arg in -XX:SharedArchiveFile=*) continue;; esac
    BASELINE+=("$arg")
  done < "$work/baseline/flags"
  BASELINE+=(-cp "$work/baseline/classes" Hello)
}

# The launcher's JVM flags, one line, for the table's header.
launcher_flags() {
  sed -n '/^-cp$/q;/^-XX:SharedArchiveFile=/d;p' "$1/baseline/flags" | tr '\n' ' ' | sed 's/ $//'
}

# machine_line: CPU model, cores, memory, kernel, JDK: what a reader needs to compare with their own machine.
machine_line() {
  local cpu java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  echo "$cpu, $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
    "Linux $(uname -r), $("$java" -version 2>&1 | head -n1)"
}
