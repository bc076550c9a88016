// The part of maildev 2.2 (no types published) that local mode uses.
declare module 'maildev' {
  interface MailDevOptions {
    smtp: number;
    web: number;
    ip: string;
    mailDirectory: string;
    silent: boolean;
  }

  interface MailDev {
    listen(): Promise<void>;
    close(callback: () => void): void;
    loadMailsFromDirectory(): void;
  }

  const MailDev: new (options: MailDevOptions) => MailDev;
  export = MailDev;
}
