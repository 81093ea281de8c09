/**
 * Relays: a node without an open port registers a name at a reachable relay host ({@link
 * org.hopseal.api.relay.Relay}); others route to that name through the host's {@link
 * org.hopseal.api.relay.RelayService}, and their end-to-end secure channel passes through it as ciphertext. The
 * registration protocol is in {@code docs/relays.md}.
 */
package org.hopseal.api.relay;
