package io.sluice.rest;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * REST API settings ({@code sluice.rest.*}).
 *
 * @param maxBodySize the largest request body accepted; larger ones get 413
 */
@Validated
@ConfigurationProperties("sluice.rest")
public record RestProperties(@NotNull @DefaultValue("1MB") DataSize maxBodySize) {}
