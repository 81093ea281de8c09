/**
 * A running node: {@link org.hopseal.api.node.HopsealNode} starts one and gives access to its vault, its TCP
 * transport ({@link org.hopseal.api.node.Tcp}, bounded by {@link org.hopseal.api.node.TcpTransportOptions}), its
 * portals, relays and authority, and its open channels ({@link org.hopseal.api.node.ChannelStatistics}).
 * {@link org.hopseal.api.node.NodeFactory} is the service interface that {@code hopseal-core} provides.
 */
package org.hopseal.api.node;
