/**
 * Secrets in connector configs: config providers ({@code config.providers}) with Kafka's {@code
 * FileConfigProvider}, {@code DirectoryConfigProvider}, {@code EnvVarConfigProvider} or a plugin's;
 * resolution of {@code ${provider:path:key}} references with Kafka's {@link
 * org.apache.kafka.common.config.ConfigTransformer} when a connector or task starts; redaction of
 * {@code PASSWORD} values for responses and logs; and restoring {@code [hidden]} values sent back in
 * an update.
 *
 * <p>Depends on {@code io.sluice.core.plugin}, {@code io.sluice.core.config} and {@code
 * io.sluice.core.validation}.
 */
package io.sluice.core.secrets;
