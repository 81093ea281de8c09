/**
 * Credentials: an authority's signed statement of a subject's attributes, presented inside secure channels so that
 * policies ({@code org.hopseal.api.policy.Policy}) can admit peers by role instead of by identifier. The protocol is in
 * {@code docs/credentials.md}.
 */
package org.hopseal.api.credential;
