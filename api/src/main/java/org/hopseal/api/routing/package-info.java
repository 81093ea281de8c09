/**
 * Where messages go. An {@link org.hopseal.api.routing.Address} is a transport type and that transport's bytes; a
 * {@link org.hopseal.api.routing.Route} is a sequence of them. A {@link org.hopseal.api.routing.TransportMessage} is
 * what crosses nodes (routes and encoded body, with its BARE wire form); a
 * {@link org.hopseal.api.routing.LocalMessage} adds what stays in the node, above all its
 * {@link org.hopseal.api.routing.Origin}, on which access decisions are made. A
 * {@link org.hopseal.api.routing.Routed} is a decoded body with its routes, and a
 * {@link org.hopseal.api.routing.RoutingError} the error reply of a node that cannot route a message from outside.
 */
package org.hopseal.api.routing;
