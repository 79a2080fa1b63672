package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsCall;
import dev.haproxysd.aws.AwsClients;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.UnsafeValueException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesRequest;
import software.amazon.awssdk.services.servicediscovery.model.DiscoverInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.FilterCondition;
import software.amazon.awssdk.services.servicediscovery.model.HttpInstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.InstanceSummary;
import software.amazon.awssdk.services.servicediscovery.model.ListInstancesRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListInstancesResponse;
import software.amazon.awssdk.services.servicediscovery.model.ListNamespacesRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListNamespacesResponse;
import software.amazon.awssdk.services.servicediscovery.model.ListServicesRequest;
import software.amazon.awssdk.services.servicediscovery.model.ListServicesResponse;
import software.amazon.awssdk.services.servicediscovery.model.NamespaceSummary;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilter;
import software.amazon.awssdk.services.servicediscovery.model.ServiceFilterName;
import software.amazon.awssdk.services.servicediscovery.model.ServiceSummary;

/**
 * Cloud Map services of the selected namespaces, each one service. Namespaces by {@code ListNamespaces}, services
 * by {@code ListServices} (both paged), instances by one {@code DiscoverInstances} per service with an explicit
 * {@code HealthStatus}.
 *
 * <p>{@code DiscoverInstances} returns at most 1000 instances and has no NextToken. A service that may hold more
 * (its {@code InstanceCount} says so, or the answer comes back full) is listed with the paged {@code
 * ListInstances} instead, which does not report health: then every registered instance is used and a warning
 * says so.
 */
final class CloudMapSource implements Source {
  static final int PAGE_SIZE = 100;
  static final int DISCOVER_MAX = 1000;
  static final String IPV4 = "AWS_INSTANCE_IPV4";
  static final String PORT = "AWS_INSTANCE_PORT";
  static final String ZONE = "AVAILABILITY_ZONE";
  static final String NAMESPACE_TAG = "cloudmap:namespace";

  private final AwsClients clients;
  private final AwsQuery.CloudMap query;
  private final int defaultPort;
  private final Log log;
  private final ServerMapping mapping;

  CloudMapSource(AwsClients clients, AwsQuery query, Log log) {
    this.clients = clients;
    this.query = query.cloudMap();
    this.defaultPort = query.defaultPort();
    this.log = log;
    this.mapping = new ServerMapping(query.tagNames(), log);
  }

  @Override
  public Inventory discover() {
    List<NamespaceSummary> namespaces = selectedNamespaces();
    Map<String, String> namespaceOfService = new TreeMap<>();
    Set<String> wanted = new LinkedHashSet<>(query.services());
    List<Service> services = new ArrayList<>();
    for (NamespaceSummary namespace : namespaces) {
      for (ServiceSummary summary : listServices(namespace)) {
        if (!wanted.isEmpty() && !wanted.contains(summary.name())) {
          continue;
        }
        String earlier = namespaceOfService.put(summary.name(), namespace.name());
        if (earlier != null) {
          throw new DiscoveryException("Cloud Map service " + SafeValue.quote(summary.name()) + " exists in the "
              + "namespaces " + SafeValue.quote(earlier) + " and " + SafeValue.quote(namespace.name())
              + "; select one namespace with --cloudmap-namespace or the services with --cloudmap-service");
        }
        services.add(service(namespace, summary));
      }
    }
    List<String> missing = wanted.stream().filter(s -> !namespaceOfService.containsKey(s))
        .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new DiscoveryException("Cloud Map service " + missing.stream().map(SafeValue::quote)
          .collect(Collectors.joining(", ")) + " not found in namespace " + namespaces.stream()
          .map(n -> SafeValue.quote(n.name())).collect(Collectors.joining(", ")) + "; check --cloudmap-service");
    }
    return new Inventory(services);
  }

  private List<NamespaceSummary> selectedNamespaces() {
    AwsCall call = new AwsCall("servicediscovery", "ListNamespaces", "namespaces " + quoted(query.namespaces()));
    List<NamespaceSummary> all = new ArrayList<>();
    for (ListNamespacesResponse page : call.allPages(
        token -> clients.serviceDiscovery().listNamespaces(
            ListNamespacesRequest.builder().maxResults(PAGE_SIZE).nextToken(token).build()),
        ListNamespacesResponse::nextToken)) {
      all.addAll(page.namespaces());
    }
    List<NamespaceSummary> selected = new ArrayList<>();
    for (String wanted : new LinkedHashSet<>(query.namespaces())) {
      List<NamespaceSummary> byId = all.stream().filter(n -> wanted.equals(n.id())).collect(Collectors.toList());
      List<NamespaceSummary> matches =
          byId.isEmpty() ? all.stream().filter(n -> wanted.equals(n.name())).collect(Collectors.toList()) : byId;
      if (matches.isEmpty()) {
        throw new DiscoveryException("Cloud Map namespace " + SafeValue.quote(wanted) + " not found in this "
            + "region; check --cloudmap-namespace and --region");
      }
      if (matches.size() > 1) {
        throw new DiscoveryException("Cloud Map namespace name " + SafeValue.quote(wanted) + " is ambiguous ("
            + matches.stream().map(NamespaceSummary::id).collect(Collectors.joining(", "))
            + "); give the namespace id to --cloudmap-namespace");
      }
      if (selected.stream().noneMatch(n -> n.id().equals(matches.get(0).id()))) {
        selected.add(matches.get(0));
      }
    }
    return selected;
  }

  private List<ServiceSummary> listServices(NamespaceSummary namespace) {
    AwsCall call = new AwsCall("servicediscovery", "ListServices", "namespace " + SafeValue.quote(namespace.name()));
    ServiceFilter inNamespace = ServiceFilter.builder()
        .name(ServiceFilterName.NAMESPACE_ID).values(namespace.id()).condition(FilterCondition.EQ).build();
    List<ServiceSummary> services = new ArrayList<>();
    for (ListServicesResponse page : call.allPages(
        token -> clients.serviceDiscovery().listServices(ListServicesRequest.builder()
            .filters(inNamespace).maxResults(PAGE_SIZE).nextToken(token).build()),
        ListServicesResponse::nextToken)) {
      services.addAll(page.services());
    }
    return services;
  }

  private Service service(NamespaceSummary namespace, ServiceSummary summary) {
    String context = "Cloud Map service " + SafeValue.quote(summary.name());
    String name;
    try {
      name = SafeValue.name("service name", summary.name());
    } catch (UnsafeValueException e) {
      throw e.within(context);
    }
    String resource = "service " + SafeValue.quote(summary.name()) + " in namespace " + SafeValue.quote(namespace.name());
    List<Instance> instances = null;
    Integer count = summary.instanceCount();
    if (count == null || count < DISCOVER_MAX) {
      instances = discoverInstances(namespace, summary, resource);
    }
    if (instances == null) {
      String why = context + " may hold more than " + DISCOVER_MAX + " instances (DiscoverInstances' limit): listed "
          + "with ListInstances";
      if (query.health() == AwsQuery.Health.ALL) {
        log.debug(why);
      } else {
        log.warn(why + ", which does not report health, so --health " + query.health().option()
            + " is not applied");
      }
      instances = listInstances(summary, resource);
    }
    List<Server> servers = new ArrayList<>();
    for (Instance i : instances) {
      Map<String, String> attributes = new TreeMap<>(i.attributes());
      mapping.server(new ServerMapping.Instance(name, i.id(), "attribute " + IPV4, attributes.get(IPV4),
              "attribute " + PORT, attributes.get(PORT), defaultPort, ServerState.READY, attributes.get(ZONE),
              attributes))
          .ifPresent(servers::add);
    }
    return new Service(name, "cloudmap", servers, Map.of(NAMESPACE_TAG, namespace.name()));
  }

  /** The instances DiscoverInstances returns, or null when the answer is full and may have been cut. */
  private List<Instance> discoverInstances(NamespaceSummary namespace, ServiceSummary summary, String resource) {
    String httpName = namespace.properties() != null && namespace.properties().httpProperties() != null
        && namespace.properties().httpProperties().httpName() != null
        ? namespace.properties().httpProperties().httpName() : namespace.name();
    AwsCall call = new AwsCall("servicediscovery", "DiscoverInstances", resource);
    DiscoverInstancesResponse response = call.once(() -> clients.serviceDiscovery().discoverInstances(
        DiscoverInstancesRequest.builder()
            .namespaceName(httpName)
            .serviceName(summary.name())
            .healthStatus(query.health().apiValue)
            .maxResults(DISCOVER_MAX)
            .build()));
    if (response.instances().size() >= DISCOVER_MAX) {
      return null;
    }
    List<Instance> result = new ArrayList<>();
    for (HttpInstanceSummary i : response.instances()) {
      result.add(new Instance(i.instanceId(), i.attributes()));
    }
    return result;
  }

  private List<Instance> listInstances(ServiceSummary summary, String resource) {
    AwsCall call = new AwsCall("servicediscovery", "ListInstances", resource);
    List<Instance> result = new ArrayList<>();
    for (ListInstancesResponse page : call.allPages(
        token -> clients.serviceDiscovery().listInstances(ListInstancesRequest.builder()
            .serviceId(summary.id()).maxResults(PAGE_SIZE).nextToken(token).build()),
        ListInstancesResponse::nextToken)) {
      for (InstanceSummary i : page.instances()) {
        result.add(new Instance(i.id(), i.attributes()));
      }
    }
    return result;
  }

  private static String quoted(List<String> values) {
    return values.stream().map(SafeValue::quote).collect(Collectors.joining(", "));
  }

  private record Instance(String id, Map<String, String> attributes) {}
}
