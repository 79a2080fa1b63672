package dev.haproxysd.cli;

import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.model.Log;
import dev.haproxysd.render.LazyTemplateEngine;
import dev.haproxysd.render.TemplateRef;

/**
 * What an {@code apply} run uses that {@code --watch} keeps across its runs: the AWS session (clients, HTTP
 * connections, credentials that refresh themselves) and the parsed template, as long as its files do not change. A
 * one-shot run gets fresh ones and closes them.
 */
final class RunResources implements AutoCloseable {
  private final AwsSessions aws;
  private final boolean keep;
  private LazyTemplateEngine template;

  private RunResources(AwsSessions aws, boolean keep) {
    this.aws = aws;
    this.keep = keep;
  }

  static RunResources perRun() {
    return new RunResources(AwsSessions.perRun(), false);
  }

  static RunResources kept() {
    return new RunResources(AwsSessions.kept(), true);
  }

  AwsSessions aws() {
    return aws;
  }

  /** The template {@code reference} names: the one kept, while its reference and files are the same. */
  LazyTemplateEngine template(String reference, Log log) {
    if (!keep || template == null || !template.template().reference().equals(reference) || !template.current()) {
      template = new LazyTemplateEngine(TemplateRef.of(reference), log);
    }
    return template;
  }

  @Override
  public void close() {
    aws.close();
  }
}
