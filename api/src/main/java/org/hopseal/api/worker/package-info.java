/**
 * Workers: actors that each handle one message at a time ({@link org.hopseal.api.worker.Worker}), their handle on
 * the node ({@link org.hopseal.api.worker.Context}), and who may reach them: an {@link org.hopseal.api.worker.Exposure}
 * (the node's default-deny rule on a message's origin) and an {@link org.hopseal.api.worker.AccessControl} (a check on
 * each admitted message). {@link org.hopseal.api.worker.Echoer} and {@link org.hopseal.api.worker.Hop} are two
 * ready-made workers.
 */
package org.hopseal.api.worker;
