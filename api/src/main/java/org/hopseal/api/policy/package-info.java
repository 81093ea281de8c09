/**
 * A small expression language for access decisions on authenticated peers: {@link org.hopseal.api.policy.Policy}
 * parses expressions such as {@code subject.role = "web" and subject.env in ["prod", "staging"]} and serves both as a
 * {@link org.hopseal.api.identity.TrustPolicy} and as an {@link org.hopseal.api.worker.AccessControl}.
 */
package org.hopseal.api.policy;
