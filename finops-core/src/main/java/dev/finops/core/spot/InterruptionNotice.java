package dev.finops.core.spot;

import java.time.Instant;
import java.util.Objects;

/**
 * A cloud's notice that a spot (preemptible) instance is about to be interrupted.
 *
 * @param provider {@code "aws"}, {@code "gcp"}, {@code "azure"} or another cloud's name
 * @param action what will happen: AWS's {@code "terminate"}, {@code "stop"} or {@code "hibernate"};
 *     {@code "preempted"} for GCP; {@code "preempt"} for Azure (a Scheduled Events {@code Preempt})
 * @param noticedAt when the notice was seen (the watcher's clock)
 * @param actionTime when the cloud says it will act (AWS's {@code time}, about two minutes after
 *     the notice; Azure's {@code NotBefore}, about 30 seconds after); {@code null} when the cloud gives
 *     none (GCP: about 30 seconds for Spot VMs)
 */
public record InterruptionNotice(String provider, String action, Instant noticedAt, Instant actionTime) {

  public InterruptionNotice {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(noticedAt, "noticedAt");
  }

  @Override
  public String toString() {
    return provider + " " + action + " notice at " + noticedAt + (actionTime == null ? "" : ", effective " + actionTime);
  }
}
