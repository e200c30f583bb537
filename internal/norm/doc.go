// Package norm validates and normalises what people type into contact
// forms: names and free text, email addresses, phone numbers, IBANs and
// BICs, web and social profile links, dates, country and currency codes,
// and the type of uploaded documents. It also derives the folded keys and
// search terms the contact store indexes.
//
// Every function is pure: no database, no clock (callers pass "now"), no
// network. A validator returns the canonical form of its input, or an
// error whose message is written for the person filling in the form — a
// lower-case English sentence without a final full stop that says what is
// wrong and, where possible, how to fix it — and an empty string. Empty
// input is an error for every validator except Text and Line; callers skip
// optional fields that were left blank.
package norm
