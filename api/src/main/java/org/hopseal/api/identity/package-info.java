/**
 * Who is talking. An {@link org.hopseal.api.identity.Entity} is an identity whose keys live in a vault; it opens and
 * accepts mutually authenticated secure channels as {@link org.hopseal.api.identity.SecureChannelOptions} say. An
 * identity is named by an {@link org.hopseal.api.identity.Identifier} that survives key rotation, and proven by its
 * {@link org.hopseal.api.identity.ChangeHistory}. A {@link org.hopseal.api.identity.PeerIdentity} is a peer as a
 * handshake verified it, and a {@link org.hopseal.api.identity.TrustPolicy} decides which verified peers to accept.
 * The protocol is in {@code docs/identity-protocol.md}.
 */
package org.hopseal.api.identity;
