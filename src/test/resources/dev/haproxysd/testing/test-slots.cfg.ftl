<#-- Test template with server slots: everything on 127.0.0.1, sockets and the server-state-file in the test's
     temp dir, health checks on. A custom template using service.slots, as the README shows. -->
# rendered by haproxy-sd for a test
global
    stats socket ${vars.stats_socket} mode 600 level admin
    pidfile ${vars.pidfile}
    hard-stop-after ${vars.hard_stop_after!"5s"}
    server-state-file ${vars.server_state_file}

defaults
    mode http
    option idle-close-on-response
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    load-server-state-from-file global

frontend http
    bind 127.0.0.1:${vars.port}
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
    balance ${vars.balance!"roundrobin"}
    option httpchk GET /
    default-server inter 1s fall 2 rise 1
<#list service.slots as slot>
<#if slot.free>
    server ${slot.name} ${slot.endpoint} check disabled
<#else>
    server ${slot.name} ${slot.server.endpoint} check weight <#if slot.server.drain>0<#else>${slot.server.weight}</#if><#if slot.server.maint> disabled</#if> # ${slot.server.id}
</#if>
</#list>
</#list>
