// The one entry point to @peculiar/x509 (building certificates, CSRs, CRLs). It needs
// reflect-metadata loaded before it, and a crypto provider set once; import x509 from here only.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
