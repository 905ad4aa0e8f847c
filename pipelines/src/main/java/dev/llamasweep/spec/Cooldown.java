package dev.llamasweep.spec;

import java.io.Serializable;

/** {@code cooldown: {max_temp_c, max_wait_s}}: wait before each cell until the hottest sensor is below the limit, at most this long. */
public record Cooldown(double maxTempC, long maxWaitS) implements Serializable {}
