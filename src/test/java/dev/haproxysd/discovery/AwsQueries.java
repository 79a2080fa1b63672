package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.testing.FakeAws;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Queries against a {@link FakeAws}, with timeouts short enough for tests. */
final class AwsQueries {
  private AwsQueries() {}

  static AwsSettings connection(FakeAws aws) {
    return AwsSettings.builder().region("us-east-1").endpoint(aws.endpoint())
        .callTimeout(Duration.ofSeconds(20)).attemptTimeout(Duration.ofSeconds(5)).build();
  }

  static AwsQuery groups(FakeAws aws, String... names) {
    return new AwsQuery(connection(aws),
        new AwsQuery.AutoScaling(List.of(names), Map.of(), AwsQuery.Address.PRIVATE, AwsQuery.Standby.MAINT),
        AwsQuery.CloudMap.NONE, AwsQuery.TagNames.DEFAULT, 80);
  }

  static AwsQuery autoScaling(FakeAws aws, AwsQuery.AutoScaling selection) {
    return new AwsQuery(connection(aws), selection, AwsQuery.CloudMap.NONE, AwsQuery.TagNames.DEFAULT, 80);
  }

  static AwsQuery ec2(FakeAws aws, AwsQuery.Ec2 selection) {
    return new AwsQuery(connection(aws), AwsQuery.AutoScaling.NONE, selection, AwsQuery.CloudMap.NONE,
        AwsQuery.TagNames.DEFAULT, 80);
  }

  /** Running instances with every tag given ({@code KEY=VALUE} or {@code KEY}), private addresses. */
  static AwsQuery ec2Tags(FakeAws aws, String... tags) {
    return ec2(aws, new AwsQuery.Ec2(Stream.of(tags).map(AwsQuery.Ec2Tag::parse).toList(), List.of(),
        AwsQuery.Address.PRIVATE));
  }

  static AwsQuery cloudMap(FakeAws aws, AwsQuery.CloudMap selection) {
    return new AwsQuery(connection(aws), AwsQuery.AutoScaling.NONE, selection, AwsQuery.TagNames.DEFAULT, 80);
  }

  static AwsQuery namespaces(FakeAws aws, String... names) {
    return cloudMap(aws, new AwsQuery.CloudMap(List.of(names), List.of(), AwsQuery.Health.HEALTHY));
  }

  static AwsQuery withConnection(AwsQuery q, AwsSettings c) {
    return new AwsQuery(c, q.autoScaling(), q.ec2(), q.cloudMap(), q.tagNames(), q.defaultPort());
  }
}
