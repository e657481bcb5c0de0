-- The pass row, with the polling interval in force (what its polls' gaps are judged by).
INSERT INTO pass (instance_id, started, seq, took_s, polled, ok, errors, server_skew_s,
                  interval_s, error, error_class)
VALUES (:instance, :started,
        (SELECT coalesce(max(seq) + 1, 0) FROM pass
         WHERE instance_id = :instance AND started = :started),
        :finished - :started, :polled, :ok, :errors, :skew, :interval, :error, :error_class);
