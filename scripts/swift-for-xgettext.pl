#!/usr/bin/perl
# Rewrites a Swift source on stdin so that xgettext's C lexer (-L C) reads every string literal
# with exactly the text Swift gives it, and writes the result to stdout.
#   - "..." and #"..."# literals become C literals: Swift escapes decoded (\u{...} too), then
#     re-escaped for C; "\(...)" interpolations are dropped (tr() takes a StaticString, so they
#     never reach a msgid anyway).
#   - A multi-line """ literal becomes one C literal per source line (adjacent C literals are
#     concatenated), with Swift's rules: the closing delimiter's indentation is removed from each
#     line, a line ending in a backslash continues without a newline, the last line has none.
#   - Comments are kept (xgettext reads "TRANSLATORS:" notes from them); apostrophes outside
#     literals and comments are dropped (the C lexer would take them for character constants).
# Line numbers are kept, so the references in the .pot point at the Swift source.
use strict;
use warnings;

binmode STDIN, ':encoding(UTF-8)';
binmode STDOUT, ':encoding(UTF-8)';
local $/;
my $s = <STDIN>;
$s = '' unless defined $s;
my $n = length $s;
my $i = 0;
my $out = '';

# C spelling of decoded text.
sub c_escape {
    my ($t) = @_;
    $t =~ s/\\/\\\\/g;
    $t =~ s/"/\\"/g;
    $t =~ s/\n/\\n/g;
    $t =~ s/\t/\\t/g;
    $t =~ s/\r/\\r/g;
    $t =~ s/([\x00-\x08\x0b\x0c\x0e-\x1f])/sprintf('\\%03o', ord $1)/ge;
    return $t;
}

# Skips an interpolation whose "(" is at $j; returns the index after its ")".
sub skip_interpolation {
    my ($str, $j) = @_;
    my $depth = 0;
    my $len = length $str;
    while ($j < $len) {
        my $c = substr($str, $j, 1);
        if ($c eq '(') { $depth++; }
        elsif ($c eq ')') { $depth--; return $j + 1 if $depth == 0; }
        elsif ($c eq '"') {
            $j++;
            while ($j < $len && substr($str, $j, 1) ne '"') { $j += substr($str, $j, 1) eq '\\' ? 2 : 1; }
        }
        $j++;
    }
    return $len;
}

# Decodes the Swift escapes of one piece of literal text ($hashes: the raw-string delimiter).
sub decode {
    my ($raw, $hashes) = @_;
    my $intro = '\\' . $hashes;
    my $text = '';
    my $j = 0;
    my $len = length $raw;
    while ($j < $len) {
        if (substr($raw, $j, length $intro) eq $intro && $j + length($intro) < $len) {
            my $k = $j + length $intro;
            my $e = substr($raw, $k, 1);
            if ($e eq 'n') { $text .= "\n"; $j = $k + 1; next; }
            if ($e eq 't') { $text .= "\t"; $j = $k + 1; next; }
            if ($e eq 'r') { $text .= "\r"; $j = $k + 1; next; }
            if ($e eq '0') { $text .= "\0"; $j = $k + 1; next; }
            if ($e eq '\\' || $e eq '"' || $e eq "'") { $text .= $e; $j = $k + 1; next; }
            if ($e eq 'u' && substr($raw, $k + 1) =~ /^\{([0-9A-Fa-f]{1,8})\}/) {
                $text .= chr(hex $1);
                $j = $k + 1 + length($1) + 2;
                next;
            }
            if ($e eq '(') { $j = skip_interpolation($raw, $k); next; }
        }
        $text .= substr($raw, $j, 1);
        $j++;
    }
    return $text;
}

while ($i < $n) {
    my $two = substr($s, $i, 2);
    if ($two eq '//') {
        my $e = index($s, "\n", $i);
        $e = $n if $e < 0;
        $out .= substr($s, $i, $e - $i);
        $i = $e;
        next;
    }
    if ($two eq '/*') {
        my ($depth, $j) = (1, $i + 2);
        while ($j < $n && $depth > 0) {
            my $t = substr($s, $j, 2);
            if ($t eq '/*') { $depth++; $j += 2; }
            elsif ($t eq '*/') { $depth--; $j += 2; }
            else { $j++; }
        }
        my $comment = substr($s, $i, $j - $i);
        my $inner = substr($comment, 2, length($comment) - 4);
        $inner =~ s{/\*|\*/}{  }g;    # nested comments would end the C comment early
        $out .= '/*' . $inner . '*/';
        $i = $j;
        next;
    }
    pos($s) = $i;
    if ($s =~ /\G(#*)("""|")/gc) {
        my ($hashes, $quote) = ($1, $2);
        my $close = $quote . $hashes;
        my $start = pos($s);
        if ($quote eq '"""') {
            my $eol = index($s, "\n", $start);
            die "swift-for-xgettext: text after an opening \"\"\"\n" if $eol < 0;
            my @lines;
            my $j = $eol + 1;
            my ($indent, $after);
            while (1) {
                my $e = index($s, "\n", $j);
                die "swift-for-xgettext: unterminated \"\"\" literal\n" if $e < 0;
                my $line = substr($s, $j, $e - $j);
                if ($line =~ /^([ \t]*)\Q$close\E/) {
                    ($indent, $after) = ($1, $j + length($1) + length($close));
                    last;
                }
                push @lines, $line;
                $j = $e + 1;
            }
            $out .= "\n";
            for my $k (0 .. $#lines) {
                my $line = $lines[$k];
                $line = substr($line, length $indent) if substr($line, 0, length $indent) eq $indent;
                my $continued = 0;
                my $intro = '\\' . $hashes;
                if (length($line) >= length($intro) && substr($line, -length($intro)) eq $intro) {
                    # an even run of backslashes is an escaped backslash, not a continuation
                    my ($run) = $line =~ /(\\+)\Q$hashes\E$/;
                    if (length($run) % 2 == 1) { $continued = 1; $line = substr($line, 0, -length($intro)); }
                }
                my $text = decode($line, $hashes);
                $text .= "\n" unless $continued || $k == $#lines;
                $out .= '"' . c_escape($text) . "\"\n";
            }
            $i = $after;
            next;
        }
        my $j = $start;
        my $intro = '\\' . $hashes;
        while ($j < $n) {
            last if substr($s, $j, length $close) eq $close;
            die "swift-for-xgettext: newline in a string literal\n" if substr($s, $j, 1) eq "\n";
            if (substr($s, $j, length $intro) eq $intro) {
                my $k = $j + length $intro;
                $j = substr($s, $k, 1) eq '(' ? skip_interpolation($s, $k) : $k + 1;
                next;
            }
            $j++;
        }
        $out .= '"' . c_escape(decode(substr($s, $start, $j - $start), $hashes)) . '"';
        $i = $j + length $close;
        next;
    }
    my $c = substr($s, $i, 1);
    $out .= $c eq "'" ? ' ' : $c;
    $i++;
}
print $out;
