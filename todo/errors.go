package main

import (
	"errors"
	"fmt"
	"net/http"
)

// Domain errors. Everything a handler returns wraps one of them (or is an
// internal error), and errorStatus maps them to HTTP in one place.
var (
	ErrInvalid          = errors.New("invalid request")
	ErrNotFound         = errors.New("not found")
	ErrUnavailable      = errors.New("database unavailable")
	ErrUnsupportedMedia = errors.New("unsupported media type")
	ErrTooLarge         = errors.New("request body too large")
)

// invalidf returns an ErrInvalid whose message is shown to the client.
func invalidf(format string, args ...any) error {
	return &clientError{kind: ErrInvalid, msg: fmt.Sprintf(format, args...)}
}

// clientError carries a message meant for the client along with its kind.
type clientError struct {
	kind error
	msg  string
}

func (e *clientError) Error() string { return e.msg }
func (e *clientError) Unwrap() error { return e.kind }

// unavailable wraps a database failure. The cause is logged, never sent.
func unavailable(op string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrUnavailable, op, err)
}

// errorStatus is the single mapping from an error to its HTTP status.
func errorStatus(err error) int {
	switch {
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrUnsupportedMedia):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrUnavailable):
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorMessage is what the client sees: the message of a client error, the
// kind's text for the others, and nothing about internals.
func errorMessage(err error) string {
	if ce, ok := errors.AsType[*clientError](err); ok {
		return ce.msg
	}
	for _, kind := range []error{ErrNotFound, ErrUnsupportedMedia, ErrTooLarge, ErrUnavailable, ErrInvalid} {
		if errors.Is(err, kind) {
			return kind.Error()
		}
	}
	return "internal error"
}
