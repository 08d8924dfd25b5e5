#!/usr/bin/env bash
# ----------------------------------------------------------------------------------------------
# DEMO ONLY: apim-gateway-wizard's harmless stand-in for API Manager 2.1.0's bin/wso2server.sh.
# It runs no Java and no WSO2 code. Like the real script it takes start / stop and -Dprofile,
# and the "server" it starts writes wso2carbon.pid, listens on 127.0.0.1:(9443 + port offset)
# and appends log lines in the 2.1.0 file format to repository/logs/wso2carbon.log at about the
# pace of a real start, so that the wizard's start, stop and status can be tried anywhere.
#
#   sh bin/wso2server.sh start [-Dprofile=gateway-worker] [-DportOffset=N]
#   sh bin/wso2server.sh stop
#
# APIM_DEMO_SCENARIO  normal (default) | fatal | never-ready | crash | delayed | degraded
# APIM_DEMO_PACE_MS   milliseconds between log lines (default 30)
# ----------------------------------------------------------------------------------------------
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

CARBON_HOME=$(cd "$(dirname "$0")/.." && pwd)
PID_FILE="$CARBON_HOME/wso2carbon.pid"
LOG_DIR="$CARBON_HOME/repository/logs"
LOG="$LOG_DIR/wso2carbon.log"

CMD=run
PROFILE=default
OFFSET=
args=()
for c in "$@"; do
  case "$c" in
    start | --start | -start) CMD=start ;;
    stop | --stop | -stop) CMD=stop ;;
    -Dprofile=*) PROFILE=${c#-Dprofile=}; args+=("$c") ;;
    -DportOffset=*) OFFSET=${c#-DportOffset=}; args+=("$c") ;;
    *) args+=("$c") ;;
  esac
done

if [ "$CMD" = start ]; then
  if [ -e "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "Process is already running"
    exit 0
  fi
  # As the real script does: the server runs in the background, its console output discarded.
  nohup bash "$CARBON_HOME/bin/wso2server.sh" "${args[@]}" >/dev/null 2>&1 &
  exit 0
elif [ "$CMD" = stop ]; then
  kill -TERM "$(cat "$PID_FILE")"
  exit 0
fi

# ---- the simulated server ----------------------------------------------------------------------
SCENARIO=${APIM_DEMO_SCENARIO:-normal}
PACE=${APIM_DEMO_PACE_MS:-30}
mkdir -p "$LOG_DIR" "$CARBON_HOME/tmp"
CARBON_XML="$CARBON_HOME/repository/conf/carbon.xml"
if [ -z "$OFFSET" ]; then
  OFFSET=$(sed -n 's:.*<Offset>[[:space:]]*\([0-9][0-9]*\)[[:space:]]*</Offset>.*:\1:p' "$CARBON_XML" 2>/dev/null | head -n 1)
fi
OFFSET=${OFFSET:-0}
HTTPS_PORT=$((9443 + OFFSET))
HOST=$(sed -n 's:^[[:space:]]*<MgtHostName>\([^<]*\)</MgtHostName>.*:\1:p' "$CARBON_XML" 2>/dev/null | head -n 1)
[ -n "$HOST" ] || HOST=$(sed -n 's:^[[:space:]]*<HostName>\([^<]*\)</HostName>.*:\1:p' "$CARBON_XML" 2>/dev/null | head -n 1)
[ -n "$HOST" ] || HOST=localhost
LISTENER=

# One line in the 2.1.0 file format: TID: [tenant] [] [time] LEVEL {category} -  message {category}
log() {
  local level=$1 cls=$2 t=$EPOCHREALTIME now
  shift 2
  printf -v now '%(%Y-%m-%d %H:%M:%S)T' "${t%[.,]*}"
  local frac=${t#*[.,]}
  printf 'TID: [-1234] [] [%s,%s] %5s {%s} -  %s {%s}\n' "$now" "${frac:0:3}" "$level" "$cls" "$*" "$cls" >>"$LOG"
}
raw() { printf '%s\n' "$@" >>"$LOG"; }
pause() {
  local ms=${1:-$PACE}
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))" &
  wait $!
}

start_listener() {
  if ! command -v node >/dev/null 2>&1; then
    LISTENER_STATUS=no-node
    return
  fi
  local status="$CARBON_HOME/tmp/.demo-listener.$$"
  rm -f "$status"
  # Leaves when its parent does, so a killed simulator leaves no listener behind.
  node -e '
    const fs = require("fs");
    const server = require("net").createServer((c) => c.end());
    server.on("error", (e) => { fs.writeFileSync(process.argv[2], e.code || "ERROR"); process.exit(1); });
    server.listen(Number(process.argv[1]), "127.0.0.1", () => fs.writeFileSync(process.argv[2], "LISTENING"));
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 300);
    process.on("SIGTERM", () => process.exit(0));
  ' "$HTTPS_PORT" "$status" &
  LISTENER=$!
  for _ in $(seq 1 200); do
    [ -s "$status" ] && break
    sleep 0.05
  done
  LISTENER_STATUS=$(cat "$status" 2>/dev/null || echo unknown)
  rm -f "$status"
}
stop_listener() {
  [ -n "$LISTENER" ] && kill -TERM "$LISTENER" 2>/dev/null
  LISTENER=
}

shutdown_server() {
  trap '' TERM
  log INFO org.wso2.carbon.core.init.CarbonServerManager "Shutdown hook triggered...."
  log INFO org.wso2.carbon.core.init.CarbonServerManager "Gracefully shutting down WSO2 API Manager..."
  pause
  log INFO org.wso2.carbon.core.ServerManagement "Starting to switch to maintenance mode..."
  log INFO org.wso2.carbon.core.ServerManagement "Stopped all transport listeners"
  log INFO org.wso2.carbon.core.ServerManagement "Waiting for request service completion..."
  log INFO org.wso2.carbon.core.ServerManagement "All requests have been served."
  pause
  log INFO org.wso2.carbon.tomcat.ext.internal.CarbonTomcatServiceComponent "Stopping the carbon web-app registered under : /"
  stop_listener
  log INFO org.wso2.carbon.core.init.CarbonServerManager "Shutdown complete"
  log INFO org.wso2.carbon.core.init.CarbonServerManager "Halting JVM"
  exit 0
}
trap shutdown_server TERM

bind_failure() {
  log ERROR org.apache.catalina.core.StandardService "Failed to initialize connector [Connector[HTTP/1.1-$HTTPS_PORT]]"
  raw "org.apache.catalina.LifecycleException: Failed to initialize component [Connector[HTTP/1.1-$HTTPS_PORT]]" \
    $'\tat org.apache.catalina.util.LifecycleBase.init(LifecycleBase.java:106)' \
    $'\tat org.apache.catalina.core.StandardService.initInternal(StandardService.java:559)' \
    $'\tat org.wso2.carbon.tomcat.internal.CarbonTomcatServiceComponent.activate(CarbonTomcatServiceComponent.java:55)' \
    "Caused by: org.apache.catalina.LifecycleException: Protocol handler initialization failed" \
    $'\tat org.apache.catalina.connector.Connector.initInternal(Connector.java:983)' \
    $'\t... 12 more' \
    "Caused by: java.net.BindException: Address already in use <null>:$HTTPS_PORT" \
    $'\tat org.apache.tomcat.util.net.NioEndpoint.bind(NioEndpoint.java:413)' \
    $'\tat org.apache.tomcat.util.net.AbstractEndpoint.init(AbstractEndpoint.java:665)' \
    $'\t... 13 more'
}

# ---- start-up ----------------------------------------------------------------------------------
echo $$ >"$PID_FILE"
log INFO org.wso2.andes.wso2.internal.QpidBundleActivator "Setting BundleContext in PluginManager"
pause
log INFO org.wso2.carbon.core.internal.CarbonCoreActivator "Starting WSO2 Carbon..."
log INFO org.wso2.carbon.core.internal.CarbonCoreActivator "Operating System : $(uname -sr), $(uname -m)"
log INFO org.wso2.carbon.core.internal.CarbonCoreActivator "Java Home        : (none: apim-gateway-wizard demo simulator)"
log INFO org.wso2.carbon.core.internal.CarbonCoreActivator "Carbon Home      : $CARBON_HOME"
log INFO org.wso2.carbon.core.internal.CarbonCoreActivator "Profile          : $PROFILE"
log WARN org.wso2.carbon.core.bootup.validator.util.ValidationResultPrinter "Carbon is configured to use the default keystore (wso2carbon.jks). To maximize security when deploying to a production environment, configure a new keystore with a unique password in the production server profile."
pause
log INFO org.wso2.carbon.registry.core.jdbc.EmbeddedRegistryService "Configured Registry in $((RANDOM % 200 + 50))ms"
log INFO org.wso2.carbon.registry.core.internal.RegistryCoreServiceComponent "Registry Mode    : READ-WRITE"

start_listener
if [ "$LISTENER_STATUS" = EADDRINUSE ]; then
  bind_failure
elif [ "$LISTENER_STATUS" != LISTENING ]; then
  log WARN org.wso2.carbon.tomcat.internal.CarbonTomcatServiceComponent "demo simulator: no listener on $HTTPS_PORT ($LISTENER_STATUS)"
fi

n=0
for component in user.core registry.indexing identity.core event.processor databridge.receiver \
  andes.kernel apimgt.impl apimgt.gateway apimgt.keymgt throttling.agent mediation.initializer \
  transport.passthru inbound.endpoint application.deployer webapp.mgt tomcat.ext ui core.services; do
  for step in "initialized" "service registered" "activated successfully"; do
    n=$((n + 1))
    log INFO "org.wso2.carbon.$component.internal.ServiceComponent" "Carbon $component component $step"
    pause
  done
  if [ "$component" = throttling.agent ] && [ "$SCENARIO" = fatal ]; then
    log FATAL org.wso2.carbon.core.init.CarbonServerManager "WSO2 Carbon initialization Failed"
    raw "org.wso2.carbon.CarbonException: Error while initializing the throttling agent: invalid value in repository/conf/api-manager.xml" \
      $'\tat org.wso2.carbon.core.init.CarbonServerManager.initializeCarbon(CarbonServerManager.java:515)' \
      $'\tat org.wso2.carbon.core.init.CarbonServerManager.start(CarbonServerManager.java:219)' \
      $'\tat org.wso2.carbon.core.internal.CarbonCoreServiceComponent.activate(CarbonCoreServiceComponent.java:94)'
    while :; do pause 3600000; done
  fi
  if [ "$component" = mediation.initializer ] && [ "$SCENARIO" = crash ]; then
    # A JVM crash: no shutdown hook, no last words.
    stop_listener
    kill -KILL $$
  fi
  if [ "$component" = inbound.endpoint ] && [ "$SCENARIO" = delayed ]; then
    log WARN org.wso2.carbon.core.internal.StartupFinalizerServiceComponent "Carbon initialization is delayed due to the following unsatisfied items:"
    raw "      Waiting for required OSGi services: org.wso2.carbon.throttling.agent.ThrottlingAgent," \
      "      Waiting for required OSGi services: org.wso2.carbon.application.deployer.service.CappDeploymentService,"
    while :; do pause 3600000; done
  fi
  if { [ "$component" = apimgt.gateway ] || [ "$component" = transport.passthru ]; } && [ "$SCENARIO" = degraded ]; then
    # Up in the end, but without the Traffic Manager: the warning comes back every 15 s, as in a real 2.1.0 log.
    log WARN org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever "Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused). Retrying after 15 seconds..."
  fi
  if [ "$component" = apimgt.gateway ] && [ "$SCENARIO" = never-ready ]; then
    # As a gateway that cannot reach the Traffic Manager does: the same warning again and again.
    while :; do
      log WARN org.wso2.carbon.apimgt.gateway.throttling.util.KeyTemplateRetriever "Failed retrieving throttling data from remote endpoint: Connection refused (Connection refused). Retrying after 15 seconds..."
      pause $((PACE * 20))
    done
  fi
done

for api in admin--PizzaShackAPI_v1.0.0 _TokenAPI_ _RevokeAPI_ _AuthorizeAPI_ _UserInfoAPI_ _OpenService_; do
  log INFO org.apache.synapse.rest.API "API: $api Initialized"
  log INFO org.apache.synapse.deployers.APIDeployer "API named '$api' has been deployed from file : $CARBON_HOME/repository/deployment/server/synapse-configs/default/api/$api.xml"
  pause
done
log INFO org.apache.synapse.transport.passthru.core.PassThroughListeningIOReactorManager "Pass-through HTTP Listener started on 0.0.0.0:$((8280 + OFFSET))"
log INFO org.apache.synapse.transport.passthru.core.PassThroughListeningIOReactorManager "Pass-through HTTPS Listener started on 0.0.0.0:$((8243 + OFFSET))"
log INFO org.wso2.carbon.core.init.JMXServerManager "JMX Service URL  : service:jmx:rmi://localhost:$((11111 + OFFSET))/jndi/rmi://localhost:$((9999 + OFFSET))/jmxrmi"
log INFO org.wso2.carbon.core.internal.StartupFinalizerServiceComponent "Server           :  WSO2 API Manager-2.1.0"
log INFO org.wso2.carbon.core.internal.StartupFinalizerServiceComponent "WSO2 Carbon started in $SECONDS sec"
pause
log INFO org.wso2.carbon.ui.internal.CarbonUIServiceComponent "Mgt Console URL  : https://$HOST:$HTTPS_PORT/carbon/"
if [ "$PROFILE" != gateway-worker ]; then
  log INFO org.wso2.carbon.ui.internal.CarbonUIServiceComponent "API Publisher Default Context : https://$HOST:$HTTPS_PORT/publisher"
  log INFO org.wso2.carbon.ui.internal.CarbonUIServiceComponent "API Store Default Context : https://$HOST:$HTTPS_PORT/store"
fi
while :; do pause 3600000; done
