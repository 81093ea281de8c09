/**
 * Hopseal's checked exceptions: one sealed hierarchy under {@link org.hopseal.api.error.HopsealException}, in which
 * every failure carries an {@link org.hopseal.api.error.ErrorKind} that callers branch on. Messages name the problem
 * and never contain secret material; {@link org.hopseal.api.error.AuthenticationFailedException} carries no detail at
 * all.
 */
package org.hopseal.api.error;
