package org.hopseal.vault.software;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Off-heap memory for secrets: page-aligned slabs locked with {@code mlock} (so they are never swapped out) and
 * marked {@code MADV_DONTDUMP} (so they stay out of core dumps), cut into 64-byte slots. A larger secret gets its
 * own page-aligned region. Freed slots are wiped before reuse. Where locking is not permitted (RLIMIT_MEMLOCK, no
 * libc), memory still works unlocked and this is logged once.
 *
 * <p>Thread safety: thread safe.
 */
final class SecretMemory {
    private static final Logger LOG = LoggerFactory.getLogger(SecretMemory.class);
    static final int SLOT = 64;
    private static final int PAGE = 4096;
    private static final int SLAB = 16 * PAGE;
    private static final int MADV_DONTDUMP = 16;
    private static final CLib LIBC = loadLibc();
    private static volatile boolean warned;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pointer> freeSlots = new ArrayDeque<>();
    private final List<Memory> slabs = new ArrayList<>();

    interface CLib extends Library {
        int mlock(Pointer addr, NativeLong len);

        int munlock(Pointer addr, NativeLong len);

        int madvise(Pointer addr, NativeLong len, int advice);
    }

    private static CLib loadLibc() {
        try {
            return Platform.isLinux() || Platform.isMac() ? Native.load(Platform.C_LIBRARY_NAME, CLib.class) : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** A region holding one secret. */
    final class Region {
        private final Pointer pointer;
        private final int length;
        private final Memory ownMemory;
        private final Pointer ownAligned;
        private final long ownSize;

        private Region(Pointer pointer, int length, Memory ownMemory, Pointer ownAligned, long ownSize) {
            this.pointer = pointer;
            this.length = length;
            this.ownMemory = ownMemory;
            this.ownAligned = ownAligned;
            this.ownSize = ownSize;
        }

        int length() {
            return length;
        }

        /** A heap copy of the secret; the caller wipes it after use. */
        byte[] read() {
            return pointer.getByteArray(0, length);
        }

        void free() {
            pointer.setMemory(0, Math.max(length, 1), (byte) 0);
            if (ownMemory != null) {
                if (LIBC != null) {
                    LIBC.munlock(ownAligned, new NativeLong(ownSize));
                }
                ownMemory.close();
            } else {
                lock.lock();
                try {
                    freeSlots.push(pointer);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Copies {@code secret} into locked memory. The caller wipes its array. */
    Region store(byte[] secret) {
        Region r = secret.length <= SLOT ? new Region(slot(), secret.length, null, null, 0) : large(secret.length);
        if (secret.length > 0) {
            r.pointer.write(0, secret, 0, secret.length);
        }
        return r;
    }

    private Pointer slot() {
        lock.lock();
        try {
            if (freeSlots.isEmpty()) {
                Memory raw = new Memory(SLAB + PAGE);
                Pointer aligned = raw.align(PAGE);
                protect(aligned, SLAB);
                slabs.add(raw);
                for (int off = 0; off < SLAB; off += SLOT) {
                    freeSlots.push(aligned.share(off, SLOT));
                }
            }
            return freeSlots.pop();
        } finally {
            lock.unlock();
        }
    }

    private Region large(int length) {
        long size = ((long) length + PAGE - 1) / PAGE * PAGE;
        Memory raw = new Memory(size + PAGE);
        Pointer aligned = raw.align(PAGE);
        protect(aligned, size);
        return new Region(aligned, length, raw, aligned, size);
    }

    private static void protect(Pointer aligned, long size) {
        boolean ok = LIBC != null && LIBC.mlock(aligned, new NativeLong(size)) == 0;
        if (LIBC != null) {
            LIBC.madvise(aligned, new NativeLong(size), MADV_DONTDUMP);
        }
        if (!ok && !warned) {
            warned = true;
            LOG.warn("secret memory could not be locked (mlock refused, see RLIMIT_MEMLOCK); secrets may be swapped to disk");
        }
    }

    /** Wipes and releases every slab. Regions must not be used afterwards. */
    void close() {
        lock.lock();
        try {
            for (Memory m : slabs) {
                m.clear();
                if (LIBC != null) {
                    LIBC.munlock(m.align(PAGE), new NativeLong(SLAB));
                }
                m.close();
            }
            slabs.clear();
            freeSlots.clear();
        } finally {
            lock.unlock();
        }
    }
}
