extension Distribution {
    /// The distribution as a `LogSketch` (each HdrHistogram bucket's samples filed
    /// at its middle value), for code that pools sketches and has no per-window data.
    public func logSketch() -> LogSketch {
        var sketch = LogSketch()
        for bucket in buckets() {
            let middle = Int64(clamping: HdrLayout.middleValue(atIndex: bucket.index))
            sketch.add(bucket: LogSketch.bucket(of: middle), count: UInt32(clamping: bucket.count))
        }
        return sketch
    }
}
