package org.hopseal.vault.pkcs11;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the IAIK wrapper's own logging (licence banner, C_Initialize, login) to SLF4J at debug level, so that a
 * command's standard output carries only what it means to print.
 */
final class Slf4jWrapperLogger implements org.xipki.pkcs11.wrapper.Logger {
    private static final Logger LOG = LoggerFactory.getLogger("org.hopseal.vault.pkcs11.wrapper");

    @Override
    public void info(String format, Object... args) {
        LOG.debug(format, args);
    }

    @Override
    public void warn(String format, Object... args) {
        LOG.debug(format, args);
    }

    @Override
    public void error(String format, Object... args) {
        LOG.debug(format, args);
    }

    @Override
    public void debug(String format, Object... args) {
        LOG.debug(format, args);
    }

    @Override
    public void trace(String format, Object... args) {
        LOG.trace(format, args);
    }

    @Override
    public boolean isDebugEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isTraceEnabled() {
        return LOG.isTraceEnabled();
    }
}
