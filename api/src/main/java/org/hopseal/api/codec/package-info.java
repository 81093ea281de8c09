/**
 * Message bodies as bytes: a {@link org.hopseal.api.codec.MessageCodec} turns one Java type into payload bytes and
 * back, and {@link org.hopseal.api.codec.MessageCodecs} holds a node's codecs by type. Java serialization is never
 * used.
 */
package org.hopseal.api.codec;
