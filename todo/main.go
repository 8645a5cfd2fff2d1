// Command todo is the sample ToDo web app of 「しくみがわかる Kubernetes」,
// rewritten in Go: a JSON API over a MongoDB-compatible database (Cosmos DB
// for MongoDB in Azure) and an embedded page.
//
// Environment:
//
//	PORT              port to listen on (default 8080)
//	MONGO_URL         MongoDB connection string (required; never logged)
//	MONGO_DB          database name (default: the one in MONGO_URL's path, else "todoapp")
//	POD_NAME, POD_NAMESPACE, NODE_NAME, CLUSTER_NAME
//	                  shown on the page (set by the Kubernetes Deployment)
//	SHUTDOWN_DELAY    how long to keep serving after SIGTERM before closing (default 0s)
//	SHUTDOWN_TIMEOUT  how long SIGTERM then waits for in-flight requests (default 15s)
//	LOG_LEVEL         debug, info (default), warn or error
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "todo:", err)
		os.Exit(1)
	}
}

// localDB, when set (only by the build with the "local" tag), starts an
// embedded database and returns its URL and a function that stops it.
var localDB func(getenv func(string) string, logger *slog.Logger) (url string, stop func(), err error)

// run reads its configuration from getenv, serves until ctx is cancelled
// (SIGINT/SIGTERM), then stops accepting connections and waits, at most
// SHUTDOWN_TIMEOUT, for in-flight requests. It returns nil on a clean stop.
func run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cmp.Or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return fmt.Errorf("LOG_LEVEL: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: level}))

	shutdownTimeout, err := time.ParseDuration(cmp.Or(getenv("SHUTDOWN_TIMEOUT"), "15s"))
	if err != nil || shutdownTimeout <= 0 {
		return fmt.Errorf("SHUTDOWN_TIMEOUT must be a positive duration such as 15s, got %q", getenv("SHUTDOWN_TIMEOUT"))
	}
	shutdownDelay, err := time.ParseDuration(cmp.Or(getenv("SHUTDOWN_DELAY"), "0s"))
	if err != nil || shutdownDelay < 0 {
		return fmt.Errorf("SHUTDOWN_DELAY must be a duration such as 5s, got %q", getenv("SHUTDOWN_DELAY"))
	}
	host := ""
	mongoURL := getenv("MONGO_URL")
	if mongoURL == "" && localDB != nil {
		url, stop, err := localDB(getenv, logger)
		if err != nil {
			return err
		}
		defer stop()
		mongoURL = url
		host = "127.0.0.1" // the development build listens on loopback only
	}
	if mongoURL == "" {
		return errors.New("MONGO_URL is required (a MongoDB connection string)")
	}
	store, err := OpenStore(mongoURL, StoreOptions{Database: getenv("MONGO_DB")})
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = store.Close(ctx)
	}()

	port := cmp.Or(getenv("PORT"), "8080")
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("PORT must be a port number, got %q", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	info := Info{
		Pod:       getenv("POD_NAME"),
		Namespace: getenv("POD_NAMESPACE"),
		Node:      getenv("NODE_NAME"),
		Cluster:   getenv("CLUSTER_NAME"),
	}
	return serve(ctx, ln, NewServer(store, info, logger), shutdownDelay, shutdownTimeout, logger)
}

// serve runs an HTTP server on ln until ctx is done, keeps serving for
// shutdownDelay (while Kubernetes takes the pod out of its Service's
// endpoints), then shuts down gracefully within shutdownTimeout.
func serve(ctx context.Context, ln net.Listener, h http.Handler, shutdownDelay, shutdownTimeout time.Duration, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if shutdownDelay > 0 {
		logger.Info("stop signal received, still serving", "delay", shutdownDelay.String())
		select {
		case err := <-errc:
			return fmt.Errorf("serve: %w", err)
		case <-time.After(shutdownDelay):
		}
	}
	logger.Info("shutting down", "timeout", shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutdown: in-flight requests did not finish in %s: %w", shutdownTimeout, err)
	}
	logger.Info("stopped")
	return nil
}
