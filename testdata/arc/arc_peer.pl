#!/usr/bin/perl
# Mail::DKIM's ARC (libmail-dkim-perl) as an interop peer for authmill's tests.
#
#   arc_peer.pl verify PORT < message
#       prints the chain status (pass, fail or none), then Mail::DKIM's detail
#   arc_peer.pl sign PORT DOMAIN SELECTOR KEYFILE SRVID < message
#       prints the new ARC set; cv= comes from the arc= result of the message's
#       Authentication-Results of SRVID (Chain => 'ar')
#
# Keys are fetched over DNS from 127.0.0.1:PORT (the test's NSD).
use strict;
use warnings;
use Mail::DKIM::ARC::Signer;
use Mail::DKIM::ARC::Verifier;
use Mail::DKIM::DNS;
use Net::DNS::Resolver;

my ($command, $port, @args) = @ARGV;
Mail::DKIM::DNS::resolver(
    Net::DNS::Resolver->new(
        nameservers => ['127.0.0.1'],
        port        => $port,
        recurse     => 0,
        udp_timeout => 5,
        tcp_timeout => 5,
        retry       => 1,
    )
);
binmode STDIN;
binmode STDOUT;
my $message = do { local $/; <STDIN> };
$message =~ s/\015?\012/\015\012/g;

if ($command eq 'verify') {
    my $arc = Mail::DKIM::ARC::Verifier->new();
    $arc->PRINT($message);
    $arc->CLOSE;
    print $arc->result, "\n", ($arc->result_detail // ''), "\n";
    exit 0;
}
if ($command eq 'sign') {
    my ($domain, $selector, $keyfile, $srvid) = @args;
    my $signer = Mail::DKIM::ARC::Signer->new(
        Algorithm => 'rsa-sha256',
        Chain     => 'ar',
        Domain    => $domain,
        SrvId     => $srvid,
        Selector  => $selector,
        KeyFile   => $keyfile,
    );
    $signer->PRINT($message);
    $signer->CLOSE;
    if ($signer->result ne 'sealed') {
        print STDERR "Mail::DKIM did not seal: ", $signer->result, " ",
          ($signer->result_detail // ''), "\n";
        exit 1;
    }
    print $signer->as_string, "\015\012";
    exit 0;
}
print STDERR "unknown command $command\n";
exit 2;
