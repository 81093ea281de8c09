/**
 * Portals: unmodified TCP applications carried end to end through secure channels. An {@link
 * org.hopseal.api.portal.Outlet} sits next to the service, an {@link org.hopseal.api.portal.Inlet} next to the
 * client; the wire protocol between them is in {@code docs/portals.md}.
 */
package org.hopseal.api.portal;
