package org.klaviyosync; public class KlaviyoSync { public static void main(String[] a){} }
