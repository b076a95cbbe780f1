#!/usr/bin/env bash
# ansible-rulebook (the end-to-end rulebook test) needs a Java 17+ runtime. Find one (JAVA_HOME, then java on PATH);
# when there is none and this runs as root with apt-get, install Debian's openjdk-17-jre-headless. Otherwise say
# clearly that the test will be skipped. Never fails: the rest of the suite does not need Java.
set -uo pipefail

java_major() {
    "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}

found_java() {
    local java major
    for java in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)"; do
        [[ -n $java && -x $java ]] || continue
        major=$(java_major "$java")
        if [[ -n $major && $major -ge 17 ]]; then
            echo "java: $java (Java $major) for ansible-rulebook"
            return 0
        fi
    done
    return 1
}

found_java && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "java: no Java 17+ found; installing openjdk-17-jre-headless for ansible-rulebook"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless >/dev/null 2>&1; }; then
        found_java && exit 0
    fi
    echo "java: installing openjdk-17-jre-headless failed"
fi
echo "java: NO Java 17+ runtime: the ansible-rulebook end-to-end test will be SKIPPED" \
     "(install openjdk-17-jre-headless, or set JAVA_HOME to a Java 17+ home)"
exit 0
