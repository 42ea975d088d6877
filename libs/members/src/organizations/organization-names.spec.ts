import {
  companyKey,
  companyKeys,
  emailDomain,
  isValidDomain,
  normaliseDomain,
  organizationForCompany,
  organizationForDomain,
  writtenMailDomain,
} from './organization-names.js';
import { isPersonalMailDomain } from './webmail.js';

const organizations = [
  { id: 'nvidia', name: 'NVIDIA', domains: ['nvidia.com'] },
  { id: 'ibm', name: 'IBM', domains: ['ibm.com'] },
  { id: 'ibm-china', name: 'IBM China Research', domains: ['cn.ibm.com'] },
  { id: 'hf', name: 'Hugging Face', domains: ['huggingface.co'] },
  { id: 'umich', name: 'University of Michigan', domains: ['umich.edu'] },
];

describe('organisation names', () => {
  it.each([
    ['@NVIDIA ', 'nvidia'],
    ['Nvidia Corp.', 'nvidia'],
    ['Acme, Inc.', 'acme'],
    ['Example Ltd', 'example'],
    ['Foo GmbH & Co', 'foo'],
    ['Hugging   Face', 'hugging face'],
    ['   ', ''],
  ])('companyKey(%j) is %j', (text, key) => {
    expect(companyKey(text)).toBe(key);
  });

  it('reads every @mention of a company field', () => {
    expect(companyKeys('@huggingface, ex-@google')).toEqual(['huggingface, ex-@google', 'huggingface', 'google']);
  });

  it.each([
    ['alice@yahoo.com', ['alice@yahoo.com']],
    ['@yahoo.com', ['yahoo.com']],
    ['ex-@google, @deepmind', ['ex-@google, @deepmind', 'google', 'deepmind']],
  ])('companyKeys(%j) reads no mention inside an address or domain', (text, keys) => {
    expect(companyKeys(text)).toEqual(keys);
  });

  it.each([
    ['alice@yahoo.com', 'yahoo.com'],
    ['@qq.com', 'qq.com'],
    [' NVIDIA.com ', 'nvidia.com'],
    ['bob@', null],
    ['Yahoo', null],
    ['@yahoo', null],
    ['Works at yahoo.com', null],
  ])('writtenMailDomain(%j) is %j', (text, domain) => {
    expect(writtenMailDomain(text)).toBe(domain);
  });

  it('never matches a company field that writes out a webmail address or domain, even to a namesake', () => {
    const withYahoo = [...organizations, { id: 'yahoo', name: 'Yahoo', domains: ['yahooinc.com'] }, { id: 'qq', name: 'QQ', domains: [] }];
    expect(organizationForCompany('Yahoo', withYahoo)).toBe('yahoo');
    expect(organizationForCompany('@yahoo', withYahoo)).toBe('yahoo');
    for (const company of ['alice@yahoo.com', 'yahoo.com', '@qq.com', 'someone@gmail.com', 'x@users.noreply.github.com', 'bob@']) {
      expect(organizationForCompany(company, withYahoo)).toBeNull();
    }
  });

  it('normalises and validates domains', () => {
    expect(normaliseDomain(' @Example.COM. ')).toBe('example.com');
    expect(isValidDomain('example.com')).toBe(true);
    expect(isValidDomain('cn.ibm.com')).toBe(true);
    for (const bad of ['localhost', 'exa mple.com', '-x.com', 'x..com', 'x.123', 'http://x.com', 'a@b.com', '']) {
      expect(isValidDomain(bad)).toBe(false);
    }
  });

  it('takes the domain of a hashed address', () => {
    expect(emailDomain('3f786850e387550fdab836ed7e6dc881de23001b@Umich.EDU')).toBe('umich.edu');
    expect(emailDomain('no-at-sign')).toBeNull();
    expect(emailDomain('x@')).toBeNull();
    expect(emailDomain('3f78@Bücher.DE.')).toBe('xn--bcher-kva.de');
    expect(emailDomain('3f78@10.0.0.1')).toBeNull();
  });

  it('matches an e-mail domain to its owner or the owner of its nearest parent', () => {
    expect(organizationForDomain('nvidia.com', organizations)).toBe('nvidia');
    expect(organizationForDomain('research.nvidia.com', organizations)).toBe('nvidia');
    expect(organizationForDomain('cn.ibm.com', organizations)).toBe('ibm-china');
    expect(organizationForDomain('us.ibm.com', organizations)).toBe('ibm');
    expect(organizationForDomain('notnvidia.com', organizations)).toBeNull();
  });

  it('matches a profile company by name, written-out domain or domain label', () => {
    expect(organizationForCompany('@NVIDIA', organizations)).toBe('nvidia');
    expect(organizationForCompany('Hugging Face Inc.', organizations)).toBe('hf');
    expect(organizationForCompany('@huggingface', organizations)).toBe('hf');
    expect(organizationForCompany('umich.edu', organizations)).toBe('umich');
    expect(organizationForCompany('PhD student, @umich', organizations)).toBe('umich');
    expect(organizationForCompany('Independent', organizations)).toBeNull();
    expect(organizationForCompany('jane@nvidia.com', organizations)).toBe('nvidia');
    expect(organizationForCompany('research.nvidia.com', organizations)).toBe('nvidia');
    expect(organizationForCompany('', organizations)).toBeNull();
  });
});

describe('isPersonalMailDomain', () => {
  it('knows public webmail from the maintained list', () => {
    for (const domain of ['gmail.com', 'outlook.com', 'qq.com', '163.com', 'vip.163.com', '126.com', 'foxmail.com', '139.com', '189.cn', 'wo.cn', 'sohu.com', 'protonmail.com', 'yahoo.com.hk']) {
      expect(isPersonalMailDomain(domain)).toBe(true);
    }
  });

  it('knows relays, their subdomains and GitHub noreply addresses', () => {
    expect(isPersonalMailDomain('logandark.mozmail.com')).toBe(true);
    expect(isPersonalMailDomain('users.noreply.github.com')).toBe(true);
  });

  it('leaves company and university domains alone', () => {
    for (const domain of ['nvidia.com', 'umich.edu', 'cn.ibm.com', 'github.com']) {
      expect(isPersonalMailDomain(domain)).toBe(false);
    }
  });
});
