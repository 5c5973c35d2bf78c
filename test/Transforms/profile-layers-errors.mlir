// RUN: ft-opt %s --ft-profile-layers -verify-diagnostics

// A symbol of another kind under a hook's name is refused.
// expected-error@+1 {{ft-profile-layers: 'ft_profile_begin' is taken by another symbol}}
memref.global "private" @ft_profile_begin : memref<1xi8> = dense<0>
