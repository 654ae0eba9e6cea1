extension LedgerWriter {
    /// How the writer batches, retries and falls back to its spool file.
    ///
    /// The defaults suit the gateway; tests shorten the durations.
    package struct Configuration: Sendable {
        /// The most records written in one `append` (one transaction).
        package var maxBatchSize: Int
        /// How long the store may keep failing before records go to the spool file instead of
        /// waiting in memory.
        package var spoolGrace: Duration
        /// The first pause between retries of a failed append; it doubles on each failure.
        package var initialRetryDelay: Duration
        /// The longest pause between retries.
        package var maxRetryDelay: Duration
        /// How often the writer retries the store while records are spooled, even without new turns.
        package var spoolRetryInterval: Duration

        /// Sets the knobs; every one has a default.
        ///
        /// - Precondition: `maxBatchSize >= 1`.
        package init(
            maxBatchSize: Int = 256,
            spoolGrace: Duration = .seconds(5),
            initialRetryDelay: Duration = .milliseconds(50),
            maxRetryDelay: Duration = .seconds(2),
            spoolRetryInterval: Duration = .seconds(5)
        ) {
            precondition(maxBatchSize >= 1, "maxBatchSize must be at least 1")
            self.maxBatchSize = maxBatchSize
            self.spoolGrace = spoolGrace
            self.initialRetryDelay = initialRetryDelay
            self.maxRetryDelay = maxRetryDelay
            self.spoolRetryInterval = spoolRetryInterval
        }
    }
}
