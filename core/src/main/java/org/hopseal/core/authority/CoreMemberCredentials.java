package org.hopseal.core.authority;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.hopseal.api.credential.Credential;
import org.hopseal.api.credential.MemberCredentials;
import org.hopseal.api.error.HopsealException;
import org.hopseal.api.identity.Identifier;
import org.hopseal.core.identity.CoreEntity;
import org.hopseal.core.log.LogText;
import org.hopseal.core.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's enrolled credentials: loaded from its vault, presented as they are, and renewed from each authority
 * when two thirds of their life has passed: at once for those due when loaded, later by one virtual thread. A failed renewal is retried after a tenth of the
 * credential's remaining life (at least a second); the credential is presented until it expires.
 *
 * <p>Thread safety: thread safe.
 */
final class CoreMemberCredentials implements MemberCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(CoreMemberCredentials.class);
    private static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private final Node node;
    private final CoreEntity member;
    private final MemberRecords records;
    private final Map<Identifier, MemberRecords.Enrolled> held = new ConcurrentHashMap<>();
    /** When to try renewing each credential next. */
    private final Map<Identifier, Instant> due = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closing = lock.newCondition();
    private volatile List<Credential> current = List.of();
    private volatile boolean closed;
    private Thread renewer;

    private CoreMemberCredentials(Node node, CoreEntity member) {
        this.node = node;
        this.member = member;
        this.records = new MemberRecords(member);
    }

    static CoreMemberCredentials start(Node node, CoreEntity member) throws HopsealException {
        CoreMemberCredentials credentials = new CoreMemberCredentials(node, member);
        for (MemberRecords.Enrolled e : credentials.records.all()) {
            credentials.hold(e);
        }
        // What is due already (a command that ran last yesterday) is renewed before anything is presented.
        Instant now = Instant.now();
        for (Map.Entry<Identifier, Instant> d : credentials.due.entrySet()) {
            if (!now.isBefore(d.getValue())) {
                credentials.renew(d.getKey());
            }
        }
        credentials.renewer = Thread.ofVirtual().name("credential-renewal-" + member.identifier().value().substring(0, 9))
                .start(credentials::renewLoop);
        return credentials;
    }

    private void hold(MemberRecords.Enrolled e) {
        Credential c = e.credential();
        held.put(c.authority(), e);
        due.put(c.authority(), c.issuedAt().plus(Duration.between(c.issuedAt(), c.expiresAt()).multipliedBy(2).dividedBy(3)));
        current = held.values().stream().map(MemberRecords.Enrolled::credential).toList();
    }

    /** What is held and has not expired: a credential whose renewals failed until it expired is kept, to renew, but not presented. */
    @Override
    public List<Credential> current() {
        Instant now = Instant.now();
        return current.stream().filter(c -> now.isBefore(c.expiresAt())).toList();
    }

    private void renewLoop() {
        while (!closed && node.isRunning()) {
            Instant now = Instant.now();
            for (Map.Entry<Identifier, Instant> d : due.entrySet()) {
                if (!now.isBefore(d.getValue())) {
                    renew(d.getKey());
                }
            }
            Instant next = due.values().stream().min(Instant::compareTo).orElse(now.plusSeconds(60));
            // Wakes at least each second, to notice a stopped node.
            long waitMillis = Math.clamp(Duration.between(Instant.now(), next).toMillis(), 10, 1_000);
            lock.lock();
            try {
                if (!closed) {
                    closing.await(waitMillis, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private void renew(Identifier authority) {
        MemberRecords.Enrolled e = held.get(authority);
        try {
            Credential renewed = Enrollment.request(node, member, authority, e.route(), new AuthorityMessage.Renew());
            MemberRecords.Enrolled next = new MemberRecords.Enrolled(renewed, e.route());
            records.put(renewed, e.route());
            hold(next);
            LOG.debug("renewed the credential of {} from {} until {}", member.identifier(), authority, renewed.expiresAt());
        } catch (HopsealException | RuntimeException ex) {
            if (closed || !node.isRunning()) {
                return;
            }
            Duration left = Duration.between(Instant.now(), e.credential().expiresAt());
            Duration retry = left.dividedBy(10).compareTo(MIN_RETRY) < 0 ? MIN_RETRY : left.dividedBy(10);
            due.put(authority, Instant.now().plus(retry));
            LOG.warn("could not renew the credential of {} from authority {} (it expires at {}); retrying in {}: {}", member.identifier(),
                    authority, e.credential().expiresAt(), retry, LogText.of(String.valueOf(ex.getMessage())));
        }
    }

    /** The renewal thread; for tests (whether it sleeps between checks, and ends on close). */
    Thread renewer() {
        return renewer;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closing.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
