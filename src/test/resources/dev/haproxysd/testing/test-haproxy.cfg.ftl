<#-- Test template: everything on 127.0.0.1, sockets in the test's temp dir, no user/group/chroot/daemon. -->
# rendered by haproxy-sd for a test
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

frontend http
    bind 127.0.0.1:${vars.port}
<#if vars.broken??>
    no-such-directive ${vars.broken}
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
    balance roundrobin
<#list service.servers as server>
    server ${server.name} ${server.endpoint} weight ${server.weight}<#if server.maint> disabled</#if>
</#list>
</#list>
