extension Metrics {
    static let collective = [iterationTime, collectiveEfficiency, periodBusbw]

    public static let iterationTime = MetricDefinition(
        "iteration_time_ns", title: "collective iteration time", label: "iteration",
        summary: "one iteration of the ring all-reduce found in the run", unit: .nanoseconds, direction: .lower,
        scopes: [.fabric], link: .maximum, advice: Advice.slower,
        prometheus: .gauge("iteration_seconds", scale: 1e-9, "One iteration of the ring all-reduce."))

    public static let collectiveEfficiency = MetricDefinition(
        "collective_efficiency", title: "collective efficiency", label: "efficiency",
        summary: "the α-β model's time for the collective over its measured iteration time", unit: .fraction,
        direction: .higher, scopes: [.fabric], link: .minimum,
        advice: "the collective runs far below the model: look for a straggler link or timeout stalls",
        prometheus: .gauge("collective_efficiency_ratio", "Model time over measured iteration time."))

    /// Per busy period of a ring (nccl-tests' sizes): exported with `period` and
    /// `bytes_per_rank` labels, known even when the iteration count is not.
    public static let periodBusbw = MetricDefinition(
        "period_busbw_bps", title: "bus bandwidth of a busy period", label: "busbw",
        summary: "nccl-tests' busbw of each busy period of a ring: the bytes each rank sent over the period "
            + "(the median link), which needs no iteration count", unit: .bitsPerSecond, direction: .higher,
        scopes: [.fabric], link: .rateOverSpan,
        advice: "the ring moved this size slower than on the baseline nights: `compare` against one of them names "
            + "the ring's straggler (the link behind the fall)",
        prometheus: .gauge("period_busbw_bytes_per_second", scale: 1 / 8,
                           "nccl-tests' busbw of each busy period of the ring (bytes each rank sent per second)."))
}
