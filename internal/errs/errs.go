// Package errs holds Folio's small set of domain error codes. Domain packages
// return them; the web UI maps them to a status and a page, the API to an
// RFC 9457 problem document.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies a domain error.
type Code string

const (
	Invalid      Code = "invalid"      // input failed validation (400/422)
	NotFound     Code = "not_found"    // no such thing, or not visible to the caller (404)
	Conflict     Code = "conflict"     // stale version, duplicate key (409)
	Forbidden    Code = "forbidden"    // the caller may not do this (403)
	Locked       Code = "locked"       // someone else holds the edit lease (423)
	Unauthorized Code = "unauthorized" // no or bad credentials (401)
	TooMany      Code = "too_many"     // throttled (429)
	Internal     Code = "internal"     // anything unexpected (500)
)

// Error is a domain error with a message safe to show to the user and,
// for Invalid, the offending fields with a message each.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Err     error // underlying cause, never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a code and a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields builds an Invalid error carrying per-field messages.
func FieldErrors(fields map[string]string) *Error {
	return &Error{Code: Invalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

// CodeOf returns the code of err, Internal for unknown errors, "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// MessageOf returns a message that is safe to show to a user.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Something went wrong on our side. The error has been logged."
}

// FieldsOf returns the per-field messages of an Invalid error, or nil.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Collector gathers per-field validation messages.
type Collector map[string]string

// Add records msg for field unless the field already has one.
func (c Collector) Add(field, msg string) {
	if _, ok := c[field]; !ok {
		c[field] = msg
	}
}

// Err returns an Invalid error if any message was added.
func (c Collector) Err() error {
	if len(c) == 0 {
		return nil
	}
	return FieldErrors(map[string]string(c))
}
