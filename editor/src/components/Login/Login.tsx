import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { useT } from '../../hooks/useT.js';
import { editorStore } from '../../store/index.js';
import { LanguageSwitch } from '../Toolbar/LanguageSwitch.js';
import { currentLanguage, describeRequestError } from '../../i18n/request-errors.js';

/** The sign-in form, shown until the runtime accepts a session. */
export function Login() {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const response = await api.login(username, password);
      editorStore.getState().setUser(response.user);
    } catch (failure) {
      setError(t('login.failed', { message: describeRequestError(failure, currentLanguage()) }));
    }
  };

  return (
    <main className="login">
      <form onSubmit={(event) => void submit(event)}>
        <h1>{t('login.heading')}</h1>
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{t('login.submit')}</button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
