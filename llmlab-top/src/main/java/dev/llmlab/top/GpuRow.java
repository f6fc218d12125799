package dev.llmlab.top;

/**
 * The GPUs one DCGM exporter reports (one target, usually a node), over the window.
 *
 * @param gpus          how many GPUs its page reports
 * @param utilization   busy fraction now, the mean over its GPUs
 * @param memoryBytes   framebuffer memory in use now, summed
 * @param watts         power drawn now, summed
 * @param joulesPerSecond energy used over the window per second, from the energy counter (NaN when
 *                      not exported)
 */
public record GpuRow(
        String target,
        double seconds,
        int gpus,
        double utilization,
        double memoryBytes,
        double watts,
        double joulesPerSecond) {}
