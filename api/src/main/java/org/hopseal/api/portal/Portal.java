package org.hopseal.api.portal;

/**
 * Limits shared by inlets and outlets.
 *
 * @since 0.3
 */
public final class Portal {
    /** Bytes in flight per direction of a connection, unless chosen: 512 KiB. */
    public static final int DEFAULT_WINDOW = 512 * 1024;
    /** The smallest window: one chunk of a connection's bytes. */
    public static final int MIN_WINDOW = 64 * 1024;
    /** The most connections an inlet or outlet carries at once, unless chosen. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The largest window: 16 MiB. */
    public static final int MAX_WINDOW = 16 * 1024 * 1024;

    private Portal() {
    }
}
