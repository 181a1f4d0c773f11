import socket

import pytest

import cxsentiment as cx
from cxsentiment.errors import ConfigError, UnknownBackendError, UnknownLanguageError
from cxsentiment.registry import Registry, language_backends


def test_every_public_name_imports():
    for name in cx.__all__:
        assert getattr(cx, name) is not None, name


def test_network_is_blocked_in_tests():
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_registry_lists_names_on_unknown_backend():
    with pytest.raises(UnknownBackendError) as err:
        language_backends.get("nope.v1")
    assert "cx-ensemble.v1" in str(err.value) and "langdetect.v1" in str(err.value)


def test_registry_names_need_versions():
    reg: Registry[int] = Registry("thing", "cxsentiment.test_things")
    with pytest.raises(ValueError):
        reg.register("unversioned", lambda: 1)


def test_config_validates_and_round_trips(tmp_path):
    cfg = cx.AnalyzerConfig(languages=["no", "ms", "en"], max_chars=500)
    assert cfg.languages == ("nb", "nn", "ms", "en")
    assert cx.AnalyzerConfig.from_dict(cfg.to_dict()) == cfg
    toml = tmp_path / "cx.toml"
    toml.write_text('[cxsentiment]\nlanguages = ["ms", "id"]\nbatch_size = 64\n')
    assert cx.AnalyzerConfig.from_toml(toml).languages == ("ms", "id")
    with pytest.raises(ConfigError, match="unknown config keys"):
        cx.AnalyzerConfig.from_dict({"langs": ["ms"]})
    with pytest.raises(ConfigError, match="-3"):
        cx.AnalyzerConfig(batch_size=-3)
    with pytest.raises(ConfigError, match="available"):
        cx.AnalyzerConfig(language_backend="fasttext.v1")
    with pytest.raises(UnknownLanguageError):
        cx.AnalyzerConfig(languages=["xx"])
    with pytest.raises(ConfigError):
        cx.AnalyzerConfig(languages="ms")


def test_results_are_frozen():
    lang = cx.detect_language("Terima kasih atas bantuan anda")
    with pytest.raises(AttributeError):
        lang.code = "en"  # type: ignore[misc]
    assert set(lang.to_dict()) >= {"code", "confidence", "script", "alternatives", "reliable", "flags"}
