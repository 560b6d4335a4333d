# Sourced: sets JAVA_HOME from the java on PATH when it is unset or wrong. Debian's groovy wrapper
# otherwise looks for /usr/lib/jvm/default-java, which only default-jre-headless creates.
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
    if java_bin="$(command -v java)"; then
        JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
        export JAVA_HOME
    fi
fi
