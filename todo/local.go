//go:build local

// The "local" build runs without an external database: when MONGO_URL is
// unset it starts FerretDB with SQLite files under TODO_DATA (default
// ./data) inside the process, and listens on 127.0.0.1 only.
//
//	go run -tags local .
//
// The production image is built without this tag, so FerretDB is not in it.

package main

import (
	"cmp"
	"log/slog"
	"os"

	"github.com/k8sbook/k8sbook/todo/internal/devdb"
)

func init() {
	localDB = func(getenv func(string) string, logger *slog.Logger) (string, func(), error) {
		dir := cmp.Or(getenv("TODO_DATA"), "data")
		// FerretDB is chatty at info level (a line per connection).
		dbLog := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
		db, err := devdb.Start(dir, "127.0.0.1:0", dbLog.With("component", "ferretdb"))
		if err != nil {
			return "", nil, err
		}
		logger.Info("embedded database started", "data", dir, "addr", db.Addr())
		return db.URI(), db.Stop, nil
	}
}
