<#-- Fault-matrix template: the test template, plus a stats user whose password haproxy expands from its own
     environment (it never passes through haproxy-sd), and tags the template reads (so hostile ones reach it). -->
# rendered by haproxy-sd for the fault matrix
global
    stats socket ${vars.stats_socket} mode 600 level admin
    pidfile ${vars.pidfile}
    hard-stop-after 5s

defaults
    mode http
    option idle-close-on-response
    timeout connect 2s
    timeout client 10s
    timeout server 10s

<#noparse>
userlist stats_users
.if defined(HAPROXY_STATS_PASSWORD)
    user admin insecure-password "${HAPROXY_STATS_PASSWORD}"
.endif
</#noparse>

frontend http
    bind 127.0.0.1:${vars.port}
    http-request return status 200 content-type text/plain string stats-ok if { path /stats } { http_auth(stats_users) }
<#if vars.broken??>
    no-such-directive ${vars.broken}
</#if>
<#if vars.echo_secret??>
<#noparse>
    http-request deny if { "${HAPROXY_STATS_PASSWORD}" }
</#noparse>
</#if>
<#if services?has_content>
    default_backend ${services[0].name}
<#else>
    http-request return status 503
</#if>
<#if vars.extra_bind??>

frontend extra
    bind ${vars.extra_bind}
    http-request return status 200
</#if>
<#list services as service>

backend ${service.name}
<#if service.tags.owner??>
    # owner ${service.tags.owner}
</#if>
    balance roundrobin
<#list service.servers as server>
    server ${server.name} ${server.endpoint} weight ${server.weight}<#if server.maint> disabled</#if><#if server.tags.label??> # ${server.tags.label}</#if>
</#list>
</#list>
